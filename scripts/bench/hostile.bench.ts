import { Connection } from 'jsforce';
import { startTestOrg } from '../localorg/testing';
import { defineBench } from './harness';

/*
 * The local org under hostile input, in time: how long the server takes to refuse a 200 KB GraphQL
 * request of 2,500 aliases × Lead(first: 2000) (the request that used to take the org down; it is
 * cancelled while parsing, at graphql-java's 15,000-token limit), against answering a one-query
 * GraphQL request; and how long another client's query waits while such requests keep arriving,
 * against the same query alone. Times are the server's own (from a request's headers to its answer).
 */

const ROUNDS = 40;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default defineBench({
  name: 'hostile',
  description: 'local org: refusing a 200 KB GraphQL request vs answering a small one; a query’s latency while such requests arrive',
  async run({ log }) {
    const org = await startTestOrg();
    try {
      await org.conn.sobject('Lead').create(
        Array.from({ length: 200 }, (_, i) => ({ LastName: `Bench ${i}`, Company: 'Hostile' })),
        { allOrNone: true }
      );
      const url = `${org.instanceUrl}/services/data/v64.0/graphql`;
      const headers = { Authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' };
      const post = async (query: string) => {
        const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
        return (await res.json()) as { errors: Array<{ message: string }> };
      };
      const small = '{ uiapi { query { Lead(first: 50) { edges { node { Id Name { value } } } } } } }';
      const big = `query { uiapi { query { ${Array.from({ length: 2500 }, (_, i) => `a${i}: Lead(first: 2000) { edges { node { Id Name { value } Company { value } } } }`).join(' ')} } } }`;
      const serverMs = async (fn: () => Promise<unknown>) => {
        const at = org.answered.length;
        await fn();
        return org.answered[at].ms;
      };
      for (let i = 0; i < 5; i++) await post(small); // warm
      const smallMs: number[] = [];
      const bigMs: number[] = [];
      let refused = true;
      for (let i = 0; i < ROUNDS; i++) {
        smallMs.push(await serverMs(() => post(small)));
        bigMs.push(
          await serverMs(async () => {
            refused &&= /parsing has been cancelled/.test((await post(big)).errors[0]?.message ?? '');
          })
        );
      }
      log(
        `   refuse the 200 KB request: median ${median(bigMs).toFixed(1)} ms (max ${Math.max(...bigMs).toFixed(1)}); answer a small query: ${median(smallMs).toFixed(1)} ms; ratio ${(median(bigMs) / median(smallMs)).toFixed(2)}`
      );

      const other = new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: '64.0' });
      const queryMs = async (): Promise<number> => {
        const t = performance.now();
        await other.query('SELECT Id, Name FROM Lead LIMIT 50');
        return performance.now() - t;
      };
      const alone: number[] = [];
      for (let i = 0; i < ROUNDS; i++) alone.push(await queryMs());
      const meanwhile: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const [, ms] = await Promise.all([post(big), queryMs(), post(big)]);
        meanwhile.push(ms);
      }
      log(
        `   another client's query: alone ${median(alone).toFixed(1)} ms, while 200 KB requests arrive ${median(meanwhile).toFixed(1)} ms (${(median(meanwhile) / median(alone)).toFixed(2)}x)`
      );
      return {
        ok: refused,
        metrics: {
          refuseBigGraphqlMedianMs: Number(median(bigMs).toFixed(2)),
          refuseBigGraphqlMaxMs: Number(Math.max(...bigMs).toFixed(2)),
          smallGraphqlMedianMs: Number(median(smallMs).toFixed(2)),
          queryAloneMedianMs: Number(median(alone).toFixed(2)),
          queryMeanwhileMedianMs: Number(median(meanwhile).toFixed(2))
        }
      };
    } finally {
      await org.close();
    }
  }
});
