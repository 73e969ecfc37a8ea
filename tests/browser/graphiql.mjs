// Drives Concord's GraphiQL in headless Chromium, with nothing reachable but 127.0.0.1.
//
// Environment: CONCORD_URL (http://127.0.0.1:PORT), CONCORD_TOKEN (a JWT), CONCORD_QUERY and
// CONCORD_SUBSCRIPTION (documents to run), CONCORD_EXPECT_EVENT (text the subscription's
// event must show), CONCORD_CHROMIUM (the browser, default /usr/bin/chromium).
//
// Talks to the Rust test over stdout: prints `SUBSCRIBED` once the subscription runs (the
// test then writes what makes an event), and a last line `REPORT <json>`. Exits 1 on any
// failure, with the reason on stderr.
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`set ${name}`);
    process.exit(2);
  }
  return value;
};
const base = env('CONCORD_URL');
const token = env('CONCORD_TOKEN');
const query = env('CONCORD_QUERY');
const subscription = env('CONCORD_SUBSCRIPTION');
const expectEvent = env('CONCORD_EXPECT_EVENT');
const executablePath = process.env.CONCORD_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 30_000;

const report = {
  requests: [],
  blocked: [],
  websockets: [],
  violations: [],
  pageErrors: [],
  defaultQuery: '',
  queryResult: '',
  eventResult: '',
};
const local = (url) => {
  const { protocol, hostname } = new URL(url);
  return protocol === 'data:' || hostname === '127.0.0.1';
};

// Playwright gives the browser a new, empty profile of its own.
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
});

try {
  const context = await browser.newContext();
  // Every HTTP request of the page: those to 127.0.0.1 go through, any other is refused
  // and recorded (GraphiQL must not need one).
  await context.route('**/*', (route) => {
    const url = route.request().url();
    report.requests.push(url);
    if (local(url)) {
      return route.continue();
    }
    report.blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('websocket', (socket) => {
    report.websockets.push(socket.url());
  });
  page.on('pageerror', (error) => report.pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      report.violations.push(message.text());
    }
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });

  const response = await page.goto(`${base}/graphiql`, { waitUntil: 'load' });
  report.csp = response.headers()['content-security-policy'] || '';

  // GraphiQL renders: its query editor shows the start-up comment.
  const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
  await queryEditor.waitFor({ timeout: TIMEOUT });
  report.defaultQuery = await editorValue(page, '.graphiql-query-editor .CodeMirror');

  // The token goes into the Headers pane, as a person would paste it.
  await page.getByRole('button', { name: /^headers$/i }).click();
  const headersSelector = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
  await page.locator(headersSelector).waitFor({ timeout: TIMEOUT });
  await setEditor(page, headersSelector, JSON.stringify({ Authorization: `Bearer ${token}` }));

  // A query, and its result on the page.
  await setEditor(page, '.graphiql-query-editor .CodeMirror', query);
  await page.locator('.graphiql-execute-button').click();
  report.queryResult = await waitForResult(page, (text) => text.includes('"data"'));

  // A subscription over the WebSocket, and an event arriving while the page watches.
  await setEditor(page, '.graphiql-query-editor .CodeMirror', subscription);
  await page.locator('.graphiql-execute-button').click();
  await page.waitForFunction(() => document.querySelector('.graphiql-execute-button')?.getAttribute('aria-label')?.match(/stop/i), null, { timeout: TIMEOUT });
  console.log('SUBSCRIBED');
  report.eventResult = await waitForResult(page, (text) => text.includes(expectEvent));

  // Nothing the page ran, and above all not the token, is left in the browser's storage.
  const stored = await page.evaluate(() => JSON.stringify({ ...window.localStorage, ...window.sessionStorage }));
  report.tokenStored = stored.includes(token);
  report.storedKeys = await page.evaluate(() => Object.keys(window.localStorage).concat(Object.keys(window.sessionStorage)));
} catch (error) {
  report.failure = String(error && error.stack ? error.stack : error);
} finally {
  await browser.close();
}

console.log(`REPORT ${JSON.stringify(report)}`);
process.exit(report.failure ? 1 : 0);

async function editorValue(page, selector) {
  return page.locator(selector).first().evaluate((element) => element.CodeMirror.getValue());
}

async function setEditor(page, selector, text) {
  await page
    .locator(selector)
    .first()
    .evaluate((element, value) => element.CodeMirror.setValue(value), text);
  // GraphiQL takes an edit into its state after a short debounce.
  await page.waitForTimeout(1000);
}

// The text of the result pane, once `accept` holds for it.
async function waitForResult(page, accept) {
  const deadline = Date.now() + TIMEOUT;
  let text = '';
  while (Date.now() < deadline) {
    text = await page
      .locator('.graphiql-response .CodeMirror')
      .first()
      .evaluate((element) => element.CodeMirror.getValue())
      .catch(() => '');
    if (accept(text)) {
      return text;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`the result pane never showed what was expected; it shows: ${text}`);
}
