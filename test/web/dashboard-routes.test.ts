// The dashboard as the service serves it (GET /dashboard, /dashboard/<file>): the page's strict CSP, nothing inline,
// chart.js's build from node_modules byte for byte, and nothing else. In-process (supertest), with the HTTP tests' set-up.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { CHART_JS_FILE, DASHBOARD_DIRECTORY, chartJsPath } from '../../service/web/dashboard';
import { deployNetwork, makeEnv, type Env } from '../http/helpers';

describe('web page: the dashboard, served by the service', function () {
  let env: Env;
  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { indexed: false });
  });
  after(async () => env?.close());

  it('GET /dashboard answers the page with the verifier page’s strict Content-Security-Policy', async function () {
    const response = await request(env.app).get('/dashboard');
    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.equal('text/html; charset=utf-8');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).to.contain("default-src 'none'").and.contain("script-src 'self'").and.contain("style-src 'self'").and.contain("connect-src 'self'");
    expect(csp).to.contain("require-trusted-types-for 'script'").and.contain("trusted-types 'none'");
    expect(csp, 'no inline code, no eval, no other site').to.not.match(/unsafe-|https:|\*/);
    expect(response.text).to.contain('<script src="dashboard/chart.umd.min.js" defer></script>');
  });

  it('has no inline script, style or handler, and its modules write no HTML and import only their own folder', function () {
    const html = readFileSync(join(DASHBOARD_DIRECTORY, 'index.html'), 'utf8');
    expect(html).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).to.not.match(/<style\b/i);
    expect(html).to.not.match(/\sstyle\s*=/i);
    expect(html).to.not.match(/\son[a-z]+\s*=/i);
    const references = [...html.matchAll(/\s(?:src|href)="([^"#]+)"/g)].map((match) => match[1]);
    for (const reference of references) expect(reference, reference).to.match(/^(web\/(style\.css|favicon\.svg)|dashboard\/[a-z.-]+\.(mjs|css|js)|v1\/stats|verify)$/);
    for (const name of readdirSync(DASHBOARD_DIRECTORY).filter((file) => file.endsWith('.mjs'))) {
      const code = readFileSync(join(DASHBOARD_DIRECTORY, name), 'utf8');
      expect(code, `${name}: no HTML written from strings`).to.not.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
      expect(code, `${name}: imports only the dashboard's own modules`).to.not.match(/from\s+['"](?!\.\/)/);
      expect(code, `${name}: fetches nothing of another site`).to.not.match(/fetch\(\s*['"`]https?:/);
    }
  });

  it('serves its files with their media types, and chart.js’s UMD build as installed', async function () {
    const types: Record<string, RegExp> = { mjs: /^text\/javascript; charset=utf-8$/, css: /^text\/css; charset=utf-8$/ };
    const names = readdirSync(DASHBOARD_DIRECTORY).filter((name) => name !== 'index.html');
    expect(names).to.include.members(['dashboard.mjs', 'charts.mjs', 'tables.mjs', 'i18n.mjs', 'dashboard.css']);
    for (const name of names) {
      const response = await request(env.app).get(`/dashboard/${name}`);
      expect(response.status, name).to.equal(200);
      expect(response.headers['content-type'], name).to.match(types[name.split('.').pop()!]!);
    }
    const chart = await request(env.app).get(`/dashboard/${CHART_JS_FILE}`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(chart.status).to.equal(200);
    expect(chart.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    expect(Buffer.compare(chart.body as Buffer, readFileSync(chartJsPath()))).to.equal(0);
    expect(readFileSync(chartJsPath(), 'utf8'), 'chart.js writes no HTML (Trusted Types)').to.not.match(/innerHTML|insertAdjacentHTML|new Function/);
  });

  it('answers 404 for a file it does not have, and for index.html by name', async function () {
    for (const path of ['/dashboard/nothing.mjs', '/dashboard/index.html', '/dashboard/..%2Fpackage.json', '/dashboard/chart.js']) {
      expect((await request(env.app).get(path)).status, path).to.equal(404);
    }
  });
});
