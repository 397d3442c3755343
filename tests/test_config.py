"""Configuration: packaged defaults, user overrides, unknown keys fail at construction."""

from __future__ import annotations

import pytest

from sitreps.config import ConfigError, load_config


def test_config_defaults_list_the_builtin_stages():
    config = load_config()
    assert config.stages[0] == "sitreps.actors.v1"
    assert "sitreps.events.v1" in config.stages


def test_config_user_file_overrides_only_its_keys(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[nlp]\nbatch_size = 7\n[stages."sitreps.events.v1"]\nplace_lookback = 1\n')
    config = load_config(path)
    assert config.batch_size == 7
    assert config.model == load_config().model
    assert config.options_for("sitreps.events.v1") == {"place_lookback": 1}


@pytest.mark.parametrize(
    "text, message",
    [("[nlp]\nbatchsize = 3\n", "unknown keys"), ("[nope]\n", "unknown section"),
     ("not toml [", "Cannot read")],
)
def test_config_bad_files_fail_with_a_clear_message(tmp_path, text, message):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_config_copy_rejects_unknown_fields():
    with pytest.raises(ConfigError):
        load_config().copy(batchsize=3)
    assert load_config().copy(batch_size=3).batch_size == 3


def test_config_store_memory_limit_has_a_default_and_can_be_set(tmp_path):
    assert load_config().store_memory_limit == "1GB"
    path = tmp_path / "c.toml"
    path.write_text('[store]\nmemory_limit = "512MB"\n')
    assert load_config(path).store_memory_limit == "512MB"
    path.write_text('[store]\nmemorylimit = "512MB"\n')
    with pytest.raises(ConfigError, match="unknown keys"):
        load_config(path)
