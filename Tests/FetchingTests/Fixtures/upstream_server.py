#!/usr/bin/env python3
"""A misbehaving upstream for tests: serves a directory over HTTP/1.1 on 127.0.0.1.

Usage: upstream_server.py DIRECTORY

Binds 127.0.0.1 on a port the system chooses and prints that port alone on stdout's first
line; each request is then logged on stdout as "METHOD PATH STATUS". Files are read at request
time, so the directory may change between requests. Stop it with SIGTERM (it unblocks
signals first: a Swift test process's threads block nearly all, and children inherit that).

GET /some/file          the file (404 when missing); a directory gives a small HTML index
                        (a redirect to DIR/ first, as web servers do)
GET /_status/CODE       that status with a small HTML body
GET /_slow/SECONDS      sleeps, then 200 "ok"; /_slow/SECONDS/some/file sleeps, then serves the file
GET /_throttle/RATE/some/file  the file at RATE bytes per second
GET /_stall             headers (Content-Length: 1000) and 500 bytes, then sleeps 60 s
GET /_truncated         Content-Length: 1000, 10 bytes, then the connection is closed;
                        /_truncated/some/file: the file's Content-Length, half its bytes, then closed
GET /_big/N             N bytes with a Content-Length
GET /_big-chunked/N     N bytes, chunked (no Content-Length)
GET /_redirect/N        a chain of N redirects ending at 200 "ok"
GET /_redirect-loop     a redirect to itself
GET /_redirect-to/PATH  a redirect to /PATH
GET /_redirect-to-file  a redirect to file:///etc/passwd
GET /_html              200 with an HTML page
POST /some/file         the body (its Content-Length) written to that file, then 201 and a body
POST /some/dir/         the body written to the next free number in that directory (1, 2, ...),
                        so that every POST is kept; then 201
POST /_...              the body read, then answered as the GET of that path
"""

import html
import mimetypes
import os
import posixpath
import signal
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.abspath(sys.argv[1])
CHUNK = 64 * 1024
FILLER = bytes(range(256)) * (CHUNK // 256)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "upstream_server"
    sys_version = ""

    def log_message(self, format, *args):
        pass

    def log_request(self, code="-", size="-"):
        code = getattr(code, "value", code)
        sys.stdout.write("%s %s %s\n" % (self.command, self.path, code))
        sys.stdout.flush()

    def do_HEAD(self):
        self.answer(head=True)

    def do_GET(self):
        self.answer(head=False)

    def do_POST(self):
        self.head = False
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/_"):
            return self.answer(head=False)
        local = self.local_path(path)
        if local is None or (os.path.isdir(local) and not path.endswith("/")):
            return self.not_found()
        if path.endswith("/"):
            os.makedirs(local, exist_ok=True)
            number = 1
            while True:
                try:
                    fd = os.open(os.path.join(local, str(number)), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                    break
                except FileExistsError:
                    number += 1
            with os.fdopen(fd, "wb") as f:
                f.write(body)
        else:
            os.makedirs(os.path.dirname(local), exist_ok=True)
            with open(local, "wb") as f:
                f.write(body)
        self.send_body(201, b"created")

    def answer(self, head):
        self.head = head
        path = urllib.parse.urlsplit(self.path).path
        parts = path.split("/")
        try:
            if path.startswith("/_"):
                self.special(parts[1], parts[2:])
            else:
                self.serve(path)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # Ordinary answers.

    def send_body(self, code, body, content_type="text/plain; charset=utf-8", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        no_body = code < 200 or code in (204, 304)
        if not no_body:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not no_body and not self.head:
            self.wfile.write(body)

    def redirect(self, location, code=302):
        body = ('<html><body><a href="%s">moved</a></body></html>' % html.escape(location)).encode()
        self.send_body(code, body, "text/html; charset=utf-8", [("Location", location)])

    def not_found(self):
        self.send_body(404, b"<html><body>404 not found</body></html>", "text/html; charset=utf-8")

    @staticmethod
    def local_path(path):
        """The file under ROOT a URL path names, or None for one that leaves ROOT."""
        relative = posixpath.normpath(urllib.parse.unquote(path)).lstrip("/")
        if relative.startswith("..") or "\0" in relative:
            return None
        return os.path.join(ROOT, relative) if relative not in ("", ".") else ROOT

    def serve(self, path):
        local = self.local_path(path)
        if local is None:
            return self.not_found()
        if os.path.isdir(local):
            if not path.endswith("/"):
                return self.redirect(path + "/", 301)
            return self.index(path, local)
        try:
            with open(local, "rb") as f:
                body = f.read()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError):
            return self.not_found()
        content_type = mimetypes.guess_type(local)[0] or "application/octet-stream"
        self.send_body(200, body, content_type)

    def index(self, path, local):
        names = sorted(os.listdir(local))
        links = "".join('<li><a href="%s">%s</a></li>\n' % (
            urllib.parse.quote(n + ("/" if os.path.isdir(os.path.join(local, n)) else "")),
            html.escape(n)) for n in names)
        body = "<html><head><title>Index of %s</title></head><body><ul>\n%s</ul></body></html>\n" % (
            html.escape(path), links)
        self.send_body(200, body.encode(), "text/html; charset=utf-8")

    # Misbehaviour.

    def special(self, name, rest):
        if name == "_status" and rest and rest[0].isdigit():
            code = int(rest[0])
            return self.send_body(code, ("<html><body>status %d</body></html>" % code).encode(), "text/html; charset=utf-8")
        if name == "_slow" and rest:
            time.sleep(float(rest[0]))
            if len(rest) > 1:
                return self.serve("/" + "/".join(rest[1:]))
            return self.send_body(200, b"ok")
        if name == "_throttle" and len(rest) > 1 and rest[0].isdigit():
            local = self.local_path("/" + "/".join(rest[1:]))
            if local is None or not os.path.isfile(local):
                return self.not_found()
            with open(local, "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            step = max(1, int(rest[0]) // 10)
            for start in range(0, len(body), step):
                self.wfile.write(body[start:start + step])
                self.wfile.flush()
                time.sleep(0.1)
            return
        if name == "_stall":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"s" * 500)
            self.wfile.flush()
            time.sleep(60)
            self.close_connection = True
            return
        if name == "_truncated":
            body = b"0123456789" + b" " * 990
            if rest:
                local = self.local_path("/" + "/".join(rest))
                try:
                    with open(local or "", "rb") as f:
                        body = f.read()
                except OSError:
                    return self.not_found()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:max(10, len(body) // 2)] if rest else body[:10])
            self.wfile.flush()
            self.close_connection = True
            return
        if name == "_big" and rest and rest[0].isdigit():
            size = int(rest[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            return self.write_filler(size, chunked=False)
        if name == "_big-chunked" and rest and rest[0].isdigit():
            size = int(rest[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            return self.write_filler(size, chunked=True)
        if name == "_redirect" and rest and rest[0].isdigit():
            hops = int(rest[0])
            if hops == 0:
                return self.send_body(200, b"ok")
            return self.redirect("/_redirect/%d" % (hops - 1))
        if name == "_redirect-loop":
            return self.redirect("/_redirect-loop")
        if name == "_redirect-to":
            return self.redirect("/" + "/".join(rest))
        if name == "_redirect-to-file":
            return self.redirect("file:///etc/passwd")
        if name == "_html":
            return self.send_body(200, b"<!DOCTYPE html>\n<html><head><title>Upstream</title></head>"
                                       b"<body><p>An HTML page, not the file asked for.</p></body></html>\n",
                                  "text/html; charset=utf-8")
        return self.not_found()

    def write_filler(self, size, chunked):
        if self.head:
            return
        left = size
        while left > 0:
            piece = FILLER[:min(left, CHUNK)]
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            left -= len(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


def main():
    # Whoever started this may have blocked signals (threads of a Swift test process block
    # nearly all, and children inherit the mask): SIGTERM must stop it.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    sys.stdout.write("%d\n" % server.server_address[1])
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
