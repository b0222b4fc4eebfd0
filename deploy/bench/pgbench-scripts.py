"""Turns the search statements chat-service logged (SearchRepository at DEBUG: "search statement {json}") into
pgbench scripts, one per search: its parameters bound by a \\gset of literals, then the statement with $n as :pn.

Usage: pgbench-scripts.py SERVICE_LOG OUT_DIR STATEMENT_FILE   (writes OUT_DIR/q1.sql ..., the statement to
STATEMENT_FILE; used by search-bench.sh)
"""
import json
import re
import sys

MARKER = "search statement "


def literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "'true'" if value else "'false'"
    if isinstance(value, list):  # text[] in PostgreSQL's array syntax
        value = "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value) + "}"
    return "'" + str(value).replace("'", "''") + "'"


def main(log, out, statement_file):
    with open(log, encoding="utf-8") as f:
        searches = [json.loads(line[line.index(MARKER) + len(MARKER):]) for line in f if MARKER + "{" in line]
    if not searches:
        sys.exit("pgbench-scripts: the service logged no search statement (is SearchRepository's DEBUG log on?)")
    sql = searches[0]["sql"]
    with open(statement_file, "w", encoding="utf-8") as f:
        f.write(sql)
    for i, search in enumerate(searches, 1):
        if search["sql"] != sql:
            sys.exit("pgbench-scripts: the service sent more than one statement")
        bind = ", ".join(f"{literal(v)} AS p{n}" for n, v in enumerate(search["parameters"], 1))
        with open(f"{out}/q{i}.sql", "w", encoding="utf-8") as f:
            f.write(f"SELECT {bind} \\gset\n")
            f.write(re.sub(r"\$(\d+)", r":p\1", sql).rstrip() + ";\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
