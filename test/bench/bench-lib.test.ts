import { describe, expect, it } from 'vitest';
import { labelAwsCall, labelGraphqlRequest } from '../../bench/lib/http-meter.js';
import { countDeliveries, downsample, quantile, summarize } from '../../bench/lib/stats.js';
import { niceCeiling, renderCdfSvg } from '../../bench/lib/svg-chart.js';
import { markdownTable } from '../../bench/lib/table.js';
import type { IncomingMessage } from 'node:http';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles of unsorted samples', () => {
    // Prepare
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index);
    // Act
    const summary = summarize(samples);
    // Assess
    expect(summary).toMatchObject({ count: 100, min: 1, p50: 50, p90: 90, p99: 99, max: 100 });
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('counts lost, duplicated and unexpected deliveries', () => {
    const received = new Map([
      ['a', 1],
      ['b', 3],
      ['stranger', 1],
    ]);
    expect(countDeliveries(['a', 'b', 'c'], received)).toEqual({
      expected: 3,
      received: 5,
      lost: 1,
      duplicated: 2,
      unexpected: 1,
    });
  });

  it('down-samples to the limit and keeps both ends', () => {
    const picks = downsample(
      Array.from({ length: 10_000 }, (_, index) => index),
      11,
    );
    expect(picks).toHaveLength(11);
    expect([picks[0], picks[10]]).toEqual([0, 9999]);
  });
});

describe('bench CDF chart', () => {
  it('draws one path per non-empty series and escapes names', () => {
    const svg = renderCdfSvg('t <&>', [
      { name: 'ours', samples: [1, 5, 9] },
      { name: 'peer "x"', samples: [] },
    ]);
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).toContain('t &#60;&#38;&#62;');
    expect(svg).toContain('peer &#34;x&#34; (n=0)');
  });

  it('rounds axis ends up to 1, 2 or 5 times a power of ten', () => {
    expect([niceCeiling(0), niceCeiling(130), niceCeiling(1900), niceCeiling(4000)]).toEqual([
      1, 200, 2000, 5000,
    ]);
  });
});

describe('bench call labels', () => {
  const request = (headers: Record<string, string>, url = '/') =>
    ({ method: 'POST', url, headers }) as unknown as IncomingMessage;

  it('names AWS JSON targets and GraphQL auth kinds, and skips the bench itself', () => {
    const headers =
      (values: Record<string, string>) =>
      (name: string): unknown =>
        values[name];
    expect(labelAwsCall(headers({ 'x-amz-target': 'AmazonSQS.SendMessage' }))).toBe(
      'AmazonSQS.SendMessage',
    );
    expect(
      labelAwsCall(headers({ 'x-bench-caller': '1', 'x-amz-target': 'AmazonSQS.ReceiveMessage' })),
    ).toBeUndefined();
    expect(labelAwsCall(headers({}))).toBeUndefined();
    expect(labelGraphqlRequest(request({ 'x-api-key': 'k' }, '/graphql'))).toBe(
      'graphql (api key)',
    );
    expect(
      labelGraphqlRequest(request({ authorization: 'AWS4-HMAC-SHA256 Credential=x' }, '/graphql')),
    ).toBe('graphql (iam)');
    expect(labelGraphqlRequest(request({ 'x-api-key': 'k' }, '/'))).toBeUndefined();
  });
});

describe('bench tables', () => {
  it('renders an aligned Markdown table', () => {
    expect(markdownTable(['a', 'n'], [['x', '1,000']]).split('\n')).toEqual([
      '| a   |     n |',
      '| --- | ----: |',
      '| x   | 1,000 |',
    ]);
  });
});
