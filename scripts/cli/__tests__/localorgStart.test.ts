import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI_ENTRY, jsonResult, runCli } from '../../testing/cli';

/** `closed-loop localorg start --query-timeout <seconds>`: the local org's time budget per request. */
describe('closed-loop localorg start --query-timeout', () => {
  it('refuses a timeout that is not a whole number of seconds from 1 to 3600, with exit code 2', async () => {
    for (const value of ['0', '1.5', 'soon', '3601']) {
      const r = await runCli(['localorg', 'start', '--data', ':memory:', '--query-timeout', value]);
      expect([value, r.code]).toEqual([value, 2]);
      expect(r.stderr).toMatch(/--query-timeout must be/);
    }
  });

  it('starts the org with the given budget', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-localorg-'));
    const child = spawn(
      process.execPath,
      [
        CLI_ENTRY,
        'localorg',
        'start',
        '--data',
        ':memory:',
        '--connection-file',
        path.join(dir, 'c.json'),
        '--query-timeout',
        '30',
        '--json'
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.on('error', reject);
        child.on('close', (code) => reject(new Error(`exited ${code}`)));
      });
      // the sf CLI's envelope: {"status":0,"result":{…},"warnings":[]}
      const ready = jsonResult<{ instanceUrl: string; accessToken: string }>(line);
      const res = await fetch(`${ready.instanceUrl}/services/data/v64.0/query?q=SELECT+COUNT()+FROM+Lead`, {
        headers: { Authorization: `Bearer ${ready.accessToken}` }
      });
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
