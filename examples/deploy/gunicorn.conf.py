# gunicorn settings for aiohttp (``gunicorn app:make_app -c gunicorn.conf.py``).
import multiprocessing

# aiohttp.worker.GunicornUVLoopWebWorker runs the same on uvloop;
# aiohttp.worker.AsyncGunicornWorker serves a WSGI application instead.
worker_class = "aiohttp.worker.GunicornWebWorker"

# One worker per core: each worker is a single-threaded event loop that uses one core fully.
workers = multiprocessing.cpu_count()

# Behind nginx on the same host: a unix socket only nginx's group may open (or "127.0.0.1:8080").
bind = ["unix:/run/aiohttp/app.sock"]
umask = 0o007
# Believe Forwarded/X-Forwarded-* only from nginx: on TCP, its address; unix-socket peers are
# always trusted.
forwarded_allow_ips = "127.0.0.1"

# In-flight requests get 95% of this on SIGTERM; open WebSockets are closed with 1001.
graceful_timeout = 30
# A worker whose event loop is blocked this long is killed and replaced.
timeout = 30
# Idle keep-alive connections are closed after this many seconds.
keepalive = 75

# Restart each worker after about this many requests (a guard against slow leaks).
max_requests = 10000
max_requests_jitter = 1000

accesslog = "-"
# gunicorn's atoms are translated to aiohttp's access log format.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)s "%({x-request-id}i)s"'
