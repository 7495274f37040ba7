#!/usr/bin/env python3
"""Fails when README.md or a page under docs/ names a repository path that does not exist, or when the README's
reading list gives a file a line count it does not have.

Checked: every `code span` or link target that is a path (contains '/' or ends in a file extension) and is
repository-relative: it starts at a top-level entry, or names a file that must exist somewhere as that suffix
(`Apis/PingApi.cs`, `AppHost.cs`). A link target is also tried relative to the page it is on (`images/x.png` in
docs/). URLs, options, placeholders (`<...>`, `{...}`, `*`) are not paths.
"""
import glob, os, re, subprocess, sys

EXTENSIONS = (".cs", ".csproj", ".sln", ".props", ".json", ".proto", ".png", ".md", ".js", ".mjs", ".sh")
tracked = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         capture_output=True, text=True, check=True).stdout.split()
paths = set(tracked) | {os.path.dirname(p) for p in tracked}
top = {p.split("/")[0] for p in tracked}


def exists(path, page_dir):
    if page_dir and os.path.normpath(os.path.join(page_dir, path)) in paths:
        return True
    if path.split("/")[0] in top:
        return path in paths
    if path.endswith(EXTENSIONS):
        return any(p == path or p.endswith("/" + path) for p in tracked)
    return True


missing = []
for page in ["README.md"] + sorted(glob.glob("docs/*.md")):
    text = open(page, encoding="utf-8").read()
    page_dir = os.path.dirname(page)
    spans = set(re.findall(r"`([^`\s]+)`", text))
    links = set(re.findall(r"\]\(([^)#\s]+)", text))
    for raw, is_link in sorted([(s, False) for s in spans] + [(l, True) for l in links]):
        path = raw.rstrip(".,:;").rstrip("/")
        if re.match(r"^[a-z]+://", path) or path.startswith(("-", "$", "/", "~", ".NET")) or any(c in path for c in "*{}<>=?…"):
            continue
        if not exists(path, page_dir if is_link else ""):
            missing.append(f"{page}: {raw}")

# The README's reading list gives each file's line count: it must be the file's.
wrong = []
readme = open("README.md", encoding="utf-8").read()
for path, lines in re.findall(r"^\| \d+ \| `([^`]+)` \| (\d+) \|", readme, re.M):
    if os.path.exists(path) and sum(1 for _ in open(path, encoding="utf-8")) != int(lines):
        wrong.append(f"{path}: the README says {lines} lines, the file has {sum(1 for _ in open(path, encoding='utf-8'))}")
# ... and their total, where it says "N lines for its 206" (the tutorial's).
listed = re.findall(r"^\| \d+ \| `([^`]+)` \| \d+ \|", readme, re.M)
actual = sum(sum(1 for _ in open(p, encoding="utf-8")) for p in listed if os.path.exists(p))
for said in re.findall(r"(\d+) lines for its 206", readme.replace("\n", " ")):
    if int(said) != actual:
        wrong.append(f"the reading list: the README says {said} lines in all, its files have {actual}")

for path in missing:
    print(f"names a path that does not exist: {path}")
for line in wrong:
    print(f"a line count is wrong: {line}")
sys.exit(1 if missing or wrong else 0)
