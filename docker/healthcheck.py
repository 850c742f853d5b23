"""The container's HEALTHCHECK: GET /healthz from gunicorn, as the proxy in front would.

The slim image has no curl; Python is there anyway. Exit 0 when the portal and its database
answer, 1 otherwise.
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = os.environ.get("BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    # A host name the portal accepts (ALLOWED_HOSTS), without a wildcard's leading dot.
    hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",")]
    host = next((h for h in hosts if h and h != "*"), "localhost")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"healthz: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
