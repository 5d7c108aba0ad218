// Puppeteer is here only to drive Debian's firefox-esr in the browser tests; never let
// `npm install` download a browser of its own (this machine cannot, and users need not).
module.exports = { skipDownload: true };
