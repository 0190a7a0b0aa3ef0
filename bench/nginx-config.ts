// nginx configured as a fair CDN edge in front of the bench origin: what a platform engineer would
// run in production on 2 cores, not a config tuned to lose or to win.
import { join } from 'node:path';

export interface NginxConfigInput {
  /** Private folder for the pid file, logs and temp files. */
  dir: string;
  /** Private folder for the cache; on tmpfs it is nginx's equivalent of the edge's memory tier. */
  cacheDir: string;
  listenPort: number;
  /** host:port of the origin. */
  origin: string;
  workers: number;
  /** Emit `user root;` so workers may write the cache in a root-owned private temp dir. */
  runAsRoot: boolean;
}

export function renderNginxConfig(input: NginxConfigInput): string {
  const path = (name: string) => join(input.dir, name);
  return `# Rendered by bench/nginx-config.ts: nginx proxy_cache as a CDN edge, for npm run bench.
${input.runAsRoot ? 'user root;\n' : ''}worker_processes ${input.workers};
daemon off;
pid ${path('nginx.pid')};
error_log ${path('nginx-error.log')} warn;

events {
  worker_connections 4096;
}

http {
  # Request logging on, as the edge's: one combined line per request, buffered like a production edge.
  access_log ${path('nginx-access.log')} combined buffer=64k flush=1s;

  # Debian's default tcp_nopush on (with sendfile) stalls 100 KB hits on loopback (PITFALLS.md).
  sendfile on;
  tcp_nopush off;
  tcp_nodelay on;
  keepalive_timeout 65s;
  keepalive_requests 100000;

  client_body_temp_path ${path('client-body')};
  proxy_temp_path ${path('proxy-temp')};
  fastcgi_temp_path ${path('fastcgi-temp')};
  uwsgi_temp_path ${path('uwsgi-temp')};
  scgi_temp_path ${path('scgi-temp')};

  proxy_cache_path ${input.cacheDir} levels=1:2 keys_zone=edge:64m max_size=1g inactive=1h use_temp_path=off;

  upstream origin {
    server ${input.origin};
    # Pooled keep-alive connections to the origin, like the edge's undici pool.
    keepalive 64;
  }

  server {
    listen 127.0.0.1:${input.listenPort} backlog=4096;

    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;

      proxy_cache edge;
      proxy_cache_key $scheme$host$request_uri;
      # Collapsing: concurrent misses for one key make one origin request.
      proxy_cache_lock on;
      proxy_cache_lock_timeout 5s;
      proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;
      proxy_cache_background_update on;
      proxy_cache_revalidate on;

      # The edge sends RFC 9211 Cache-Status on every response; nginx says the same thing here.
      add_header Cache-Status "nginx; $upstream_cache_status" always;
    }
  }
}
`;
}
