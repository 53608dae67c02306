"""`eurocities-kg bench`: the publisher measured against its peers on the same generated data.

- `load`: the load generator (threads, keep-alive `http.client` connections, a fixed duration);
- `servers`: the servers under test, each started on 127.0.0.1 and stopped afterwards;
- `bare`: the bare Flask app under the same gunicorn settings (the stack's ceiling);
- `probe`: the build measured in a child process (time per phase, peak RSS);
- `run`: the whole run, its Markdown table and JSON.
"""
