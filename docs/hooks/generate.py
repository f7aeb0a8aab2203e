"""mkdocs hooks: generate the check reference and the CLI help from the code at build time.

* one page per registered check, ``reference/checks/<name>.md``, from its ``Param`` declarations
  (:func:`datacheck.catalog.markdown_page`), plus an index, added to the nav under "Check reference";
* ``{{ cli_help }}`` in a page is replaced by the ``--help`` text of every ``datacheck`` command, and
  ``{{ checks_table }}`` by the one-line-per-check table of ``datacheck checks``.
"""

from __future__ import annotations

import argparse
import io
from contextlib import redirect_stdout

from mkdocs.structure.files import File

from datacheck import catalog
from datacheck.cli import _parser

_REF = "reference/checks"


def _index() -> str:
    lines = ["# Check reference", "",
             "One page per check, generated from its parameter declarations when the site is built.", "",
             "| check | family | what it judges |", "|---|---|---|"]
    for e in catalog.entries():
        summary = e.summary.split(". ")[0].rstrip(".").replace("|", "\\|")
        lines.append(f"| [`{e.name}`]({e.name}.md) | {e.family} | {summary} |")
    return "\n".join(lines) + "\n"


def on_config(config, **kwargs):
    nav = config["nav"]
    for i, item in enumerate(nav):
        if isinstance(item, dict) and "Check reference" in item:
            nav[i] = {"Check reference": [{"All checks": f"{_REF}/index.md"}]
                      + [{e.name: f"{_REF}/{e.name}.md"} for e in catalog.entries()]}
    return config


def on_files(files, config, **kwargs):
    files.append(File.generated(config, f"{_REF}/index.md", content=_index()))
    for e in catalog.entries():
        files.append(File.generated(config, f"{_REF}/{e.name}.md", content=catalog.markdown_page(e.name)))
    return files


def _help_texts() -> str:
    parser = _parser()
    out = ["```text", parser.format_help().rstrip(), "```"]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        out += ["", f"### `datacheck {name}`", "", "```text", p.format_help().rstrip(), "```"]
    return "\n".join(out)


def on_page_markdown(markdown, page, config, files, **kwargs):
    if "{{ cli_help }}" in markdown:
        markdown = markdown.replace("{{ cli_help }}", _help_texts())
    if "{{ checks_table }}" in markdown:
        buf = io.StringIO()
        with redirect_stdout(buf):
            print(catalog.text_table())
        markdown = markdown.replace("{{ checks_table }}", "```text\n" + buf.getvalue().rstrip() + "\n```")
    return markdown
