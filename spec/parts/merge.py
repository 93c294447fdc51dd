#!/usr/bin/env python3
"""Merge the transcription fragments in spec/parts/ into one OpenAPI file.

Fragments (text, so comments survive):
  00_header.yaml            openapi/info/servers/security (top of the file)
  *.paths.yaml              entries as under `paths:` (path keys at 2 spaces)
  *.webhooks.yaml           entries as under `x-webhooks:` (names at 2 spaces)
  90_components_common.yaml `components:` with everything but schemas
  *.schemas.yaml            entries as under `components: schemas:` (4 spaces)

Paths and schemas are sorted; two fragments defining the same path have their
methods concatenated. Comments must sit inside an entry, not above its key.

  merge.py [--out FILE] [--stub-missing]
--stub-missing adds `type: object` stubs for $refs to schemas no fragment
defines yet (only for checking one fragment before the others exist).
"""
import glob, os, re, sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))


def blocks(text, indent):
    """Split text into (key, lines) blocks starting at exactly `indent` spaces."""
    out = []
    key_re = re.compile(r"^ {%d}(?! )([^#\s][^:]*|'[^']*'):\s*$" % indent)
    for line in text.splitlines():
        if not line.strip() and not out:
            continue
        m = key_re.match(line)
        if m:
            out.append([m.group(1).strip("'"), [line]])
        elif out:
            out[-1][1].append(line)
        elif line.strip().startswith("#"):
            continue
        else:
            sys.exit(f"merge: unexpected line before the first entry: {line!r}")
    for b in out:
        while b[1] and not b[1][-1].strip():
            b[1].pop()
    return out


def collect(pattern, indent):
    merged = OrderedDict()
    for f in sorted(glob.glob(os.path.join(HERE, pattern))):
        for key, lines in blocks(open(f).read(), indent):
            if key in merged:
                if indent == 4:  # schemas may not be defined twice
                    sys.exit(f"merge: schema {key} defined twice (again in {os.path.basename(f)})")
                merged[key] += lines[1:]
            else:
                merged[key] = lines
    return merged


def main():
    args = sys.argv[1:]
    out = os.path.join(HERE, "..", "powens.yaml")
    if "--out" in args:
        out = args[args.index("--out") + 1]
    stub = "--stub-missing" in args
    paths = collect("*.paths.yaml", 2)
    hooks = collect("*.webhooks.yaml", 2)
    schemas = collect("*.schemas.yaml", 4)
    text = [open(os.path.join(HERE, "00_header.yaml")).read().rstrip()]
    tags = set()
    for lines in paths.values():
        for l in lines:
            m = re.match(r"^\s+tags:\s*\[\s*([A-Za-z_ ]+?)\s*\]\s*$", l)
            if m:
                tags.add(m.group(1))
    text.append("tags:" if tags else "")
    for t in sorted(tags):
        text.append(f"  - name: {t}")
    text.append("paths:")
    for k in sorted(paths, key=lambda p: p.split("/")):
        text += paths[k]
    if hooks:
        text.append("x-webhooks:")
        for k in sorted(hooks):
            text += hooks[k]
    text.append(open(os.path.join(HERE, "90_components_common.yaml")).read().rstrip())
    text.append("  schemas:")
    body = "\n".join(text)
    if stub:
        refs = set(re.findall(r"#/components/schemas/([A-Za-z0-9_.-]+)", body + "".join("\n".join(v) for v in schemas.values())))
        for r in sorted(refs - set(schemas)):
            schemas[r] = [f"    {r}:", "      type: object", "      description: STUB (missing)"]
    for k in sorted(schemas):
        text += schemas[k]
    open(out, "w").write("\n".join(text) + "\n")
    # operationId uniqueness is a spec error the generator also reports; catch it early
    ids = re.findall(r"^\s+operationId:\s*(\S+)", "\n".join(text), re.M)
    dups = sorted({i for i in ids if ids.count(i) > 1})
    if dups:
        sys.exit(f"merge: duplicate operationIds: {', '.join(dups)}")
    print(f"merge: wrote {out}: {len(paths)} paths, {len(ids)} operations, {len(schemas)} schemas")


main()
