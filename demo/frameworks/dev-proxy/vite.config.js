// Vite's dev server (http://localhost:5173) in front of an app whose token endpoint listens on
// http://localhost:3000. The object form leaves the Host header alone: the endpoint sees the
// request arrive at the origin it came from. (The string form, '/embed-token': 'http://…',
// means changeOrigin: true, and the endpoint refuses it: see the README's Frameworks section.)
// test/frameworks/dev-proxy.test.ts proxies the framework pages' token requests with this file.
export default {
  server: {
    proxy: {
      '/embed-token': { target: 'http://localhost:3000' },
    },
  },
};
