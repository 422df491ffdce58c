"""A git smart-HTTP server for tests: `git http-backend` behind HTTP Basic
authentication (none when USER is empty), on 127.0.0.1. Prints its port,
then serves until killed. Every request appends a line to LOG: `ok PATH`
when served, `denied PATH` when the credentials were wrong. Requests whose
path starts with $SLOW_PREFIX wait $SLOW_SECONDS first (a slow forge).

usage: git_http_server.py ROOT USER PASSWORD LOG
"""
import base64
import http.server
import os
import subprocess
import sys
import time

ROOT, USER, PASSWORD, LOG = sys.argv[1:5]
EXPECTED = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def serve(self):
        slow = os.environ.get("SLOW_PREFIX")
        if slow and self.path.startswith(slow):
            time.sleep(float(os.environ.get("SLOW_SECONDS", "10")))
        if USER and self.headers.get("Authorization") != EXPECTED:
            with open(LOG, "a") as log:
                log.write("denied " + self.path + "\n")
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with open(LOG, "a") as log:
            log.write("ok " + self.path + "\n")
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        env = dict(
            os.environ,
            GIT_PROJECT_ROOT=ROOT,
            GIT_HTTP_EXPORT_ALL="1",
            PATH_INFO=path,
            QUERY_STRING=query,
            REQUEST_METHOD=self.command,
            CONTENT_TYPE=self.headers.get("Content-Type", ""),
            CONTENT_LENGTH=str(len(body)),
            REMOTE_USER=USER,
        )
        out = subprocess.run(
            ["git", "http-backend"], input=body, env=env, capture_output=True
        ).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.decode().split("\r\n"):
            if not line:
                continue
            key, _, value = line.partition(":")
            if key.lower() == "status":
                status = int(value.strip().split()[0])
            else:
                headers.append((key, value.strip()))
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = serve
    do_POST = serve


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
