"""Prints `command calls` for every command a Redis has served (INFO commandstats)."""
import socket
import sys

with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5) as redis:
    redis.sendall(b"*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n")
    reply = b""
    while True:
        reply += redis.recv(65536)
        if reply.startswith(b"$"):
            header, _, rest = reply.partition(b"\r\n")
            if len(rest) >= int(header[1:]):
                break
for line in reply.decode().splitlines():
    if line.startswith("cmdstat_"):
        name, _, fields = line[len("cmdstat_"):].partition(":")
        print(name, dict(field.split("=") for field in fields.split(","))["calls"])
