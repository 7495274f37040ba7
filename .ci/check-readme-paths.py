#!/usr/bin/env python3
"""Fails when README.md names a repository path that does not exist.

Checked: every `code span` or link target that is a path (contains '/' or ends in a file extension) and is
repository-relative: it starts at a top-level entry, or names a file that must exist somewhere as that suffix
(`Apis/PingApi.cs`, `AppHost.cs`). URLs, options, placeholders (`<...>`, `{...}`, `*`) are not paths.
"""
import os, re, subprocess, sys

EXTENSIONS = (".cs", ".csproj", ".sln", ".props", ".json", ".proto", ".png", ".md", ".js", ".mjs", ".sh")
tracked = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         capture_output=True, text=True, check=True).stdout.split()
paths = set(tracked) | {os.path.dirname(p) for p in tracked}
top = {p.split("/")[0] for p in tracked}
text = open("README.md", encoding="utf-8").read()
candidates = set(re.findall(r"`([^`\s]+)`", text)) | set(re.findall(r"\]\(([^)#\s]+)\)", text))

missing = []
for raw in sorted(candidates):
    path = raw.rstrip(".,:;").rstrip("/")
    if re.match(r"^[a-z]+://", path) or path.startswith(("-", "$", "/", "~", ".NET")) or any(c in path for c in "*{}<>=?…"):
        continue
    if path.split("/")[0] in top:
        if path not in paths:
            missing.append(raw)
    elif path.endswith(EXTENSIONS) and not any(p == path or p.endswith("/" + path) for p in tracked):
        missing.append(raw)

for path in missing:
    print(f"README.md names a path that does not exist: {path}")
sys.exit(1 if missing else 0)
