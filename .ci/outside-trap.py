#!/usr/bin/env python3
"""Stands in for everything outside the test run (ingest.lightstep.com, a developer's collector): listens on a free
loopback port, writes the port to PREFIX.port, and counts every connection into PREFIX.count. Usage: PREFIX."""
import socket, sys

prefix = sys.argv[1]
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(128)
open(prefix + ".count", "w").write("0")
open(prefix + ".port", "w").write(str(listener.getsockname()[1]))
count = 0
while True:
    connection, _ = listener.accept()
    count += 1
    open(prefix + ".count", "w").write(str(count))
    connection.close()
