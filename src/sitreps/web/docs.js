// A small renderer of /openapi.json: the CSP forbids the CDN and inline scripts Swagger UI needs.
"use strict";

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function schemaText(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.anyOf) return schema.anyOf.map(schemaText).join(" | ");
  if (schema.enum) return schema.enum.join(" | ");
  if (schema.type === "array") return "(" + schemaText(schema.items) + ")[]";
  const bounds = [];
  if (schema.minimum !== undefined) bounds.push(">= " + schema.minimum);
  if (schema.maximum !== undefined) bounds.push("<= " + schema.maximum);
  if (schema.format) bounds.push(schema.format);
  return (schema.type || "") + (bounds.length ? " (" + bounds.join(", ") + ")" : "");
}

async function main() {
  const target = document.getElementById("endpoints");
  const spec = await (await fetch("/openapi.json")).json();
  target.replaceChildren(el("h2", spec.info.title + " " + spec.info.version));
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const box = el("article", null, "endpoint");
      box.append(el("h3", method.toUpperCase() + " " + path));
      if (op.description || op.summary) box.append(el("p", op.description || op.summary));
      const params = op.parameters || [];
      if (params.length) {
        const table = el("table");
        const head = el("tr");
        for (const h of ["name", "in", "type", "required", "description"]) head.append(el("th", h));
        table.append(head);
        for (const p of params) {
          const row = el("tr");
          for (const v of [p.name, p.in, schemaText(p.schema), p.required ? "yes" : "", p.description || ""]) {
            row.append(el("td", v));
          }
          table.append(row);
        }
        box.append(table);
      }
      const codes = Object.keys(op.responses || {}).join(", ");
      box.append(el("p", "Responses: " + codes, "hint"));
      target.append(box);
    }
  }
}

main().catch((err) => {
  document.getElementById("endpoints").replaceChildren(el("p", String(err), "error"));
});
