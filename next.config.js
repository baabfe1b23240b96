/** A strict CSP for any page answer proxy.ts did not give its nonce CSP. */
const FALLBACK_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Drivers with native sockets and long-lived connections stay out of the bundle.
  serverExternalPackages: ['bullmq', 'ioredis', 'postgres'],
  poweredByHeader: false,
  // Tests and the demo may build side by side into separate folders.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The browser tests' build skips the type check (CI's `npm run check` does it) to stay fast.
  typescript: { ignoreBuildErrors: process.env.NEXT_IGNORE_TYPE_ERRORS === '1' },
  // Headers for every response, API included; pages get a nonce CSP from proxy.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
        ],
      },
      {
        // HTML that skips proxy.ts (its nonce CSP replaces this one where it runs):
        // no inline script may run, nothing may frame it.
        source: '/((?!api/).*)',
        headers: [{ key: 'content-security-policy', value: FALLBACK_CSP }],
      },
      {
        source: '/api/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" },
          { key: 'Cache-Control', value: 'no-store' },
        ],
      },
    ];
  },
};

export default nextConfig;
