// The guides' block extractor: fences, languages, directives, indentation, and the errors that keep a guide honest.
import { describe, expect, it } from 'vitest';
import { extractBlocks, guideFiles, GUIDES } from '../support/guide-blocks.js';

const page = [
  '# Guide',
  '',
  '<!-- guide-test: skip: needs the reader’s server -->',
  '',
  '```sh',
  'curl http://127.0.0.1:4000/healthz',
  '```',
  '',
  '1. A step with a block in it:',
  '',
  '   ```graphql',
  '   { viewer { email } }',
  '   ```',
  '',
  '<!-- guide-test: file watch.mjs -->',
  '````js',
  'console.log("```");',
  '````',
  '```',
  'no language',
  '```',
].join('\n');

describe('extractBlocks', () => {
  it('reads each fenced block with its line, language, code and directive', () => {
    const blocks = extractBlocks(page, 'docs/x.md');
    expect(blocks).toEqual([
      { file: 'docs/x.md', line: 5, lang: 'sh', code: 'curl http://127.0.0.1:4000/healthz', directive: { kind: 'skip', reason: 'needs the reader’s server' } },
      { file: 'docs/x.md', line: 11, lang: 'graphql', code: '{ viewer { email } }', directive: null },
      { file: 'docs/x.md', line: 16, lang: 'js', code: 'console.log("```");', directive: { kind: 'file', name: 'watch.mjs' } },
      { file: 'docs/x.md', line: 19, lang: '', code: 'no language', directive: null },
    ]);
  });

  it('refuses unknown directives, directives without their argument, and unclosed blocks', () => {
    expect(() => extractBlocks('<!-- guide-test: sometimes -->\n```sh\nls\n```', 'docs/x.md')).toThrow(/docs\/x.md:1: unknown guide-test directive "sometimes"/);
    expect(() => extractBlocks('<!-- guide-test: skip -->\n```sh\nls\n```', 'docs/x.md')).toThrow(/"skip" needs a reason/);
    expect(() => extractBlocks('```sh\nls\n', 'docs/x.md')).toThrow(/docs\/x.md:1: the code block is never closed/);
  });

  it('takes bare directives (postgres, page)', () => {
    expect(extractBlocks('<!-- guide-test: postgres -->\n```sh\npg_dump\n```', 'd.md')[0]!.directive).toEqual({ kind: 'postgres' });
  });
});

describe('guideFiles', () => {
  it('lists the guides first, then the pages that opt in', () => {
    const files = guideFiles();
    expect(files.slice(0, GUIDES.length)).toEqual([...GUIDES]);
    expect(files).not.toContain('configuration.md');
  });
});
