"""`sitreps geocode` answers several texts in one call: the model loads once, not per text."""

from __future__ import annotations

import re

from click.testing import CliRunner

from sitreps.cli import cli

MAARAT = "Shelling hit Maarat al-Numan on Monday."
TRIPOLI = "Militias clashed in Tripoli as fighting spread from Misrata."
BELGOROD = "Drones struck an oil depot near Belgorod."


def titles(output: str) -> list[str]:
    """The table titles in order: one per geocoded text."""
    return re.findall(r"\d+ place mention\(s\) in: (.+?)\s*$", output, flags=re.M)


def test_cli_geocode_takes_several_arguments_one_table_each() -> None:
    result = CliRunner().invoke(cli, ["geocode", MAARAT, TRIPOLI], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert titles(result.output) == [MAARAT, TRIPOLI]
    first, second = result.output.split(TRIPOLI, 1)
    assert "gn:167611" in first and "Idlib" in first  # Maarat al-Numan in its own table
    assert "Misrata" in second and "LY" in second and "gn:167611" not in second


def test_cli_geocode_reads_one_text_per_stdin_line() -> None:
    lines = f"{MAARAT}\n\n{BELGOROD}\n"
    for args in (["geocode"], ["geocode", "-"]):
        result = CliRunner().invoke(cli, args, input=lines, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert titles(result.output) == [MAARAT, BELGOROD]  # the blank line is no text
        assert "gn:578072" in result.output  # Belgorod's GeoNames id


def test_cli_geocode_dash_mixes_with_arguments_in_order() -> None:
    result = CliRunner().invoke(cli, ["geocode", TRIPOLI, "-"], input=BELGOROD + "\n",
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert titles(result.output) == [TRIPOLI, BELGOROD]


def test_cli_geocode_with_nothing_to_read_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["geocode"], input="\n  \n")
    assert result.exit_code == 2
    assert "no text to geocode" in result.output
