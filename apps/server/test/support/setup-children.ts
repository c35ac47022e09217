// Loaded before every integration test file (vitest.config.ts setupFiles): whatever a test started is killed when
// it ends — passed, failed or timed out — before the next test starts; what a file's beforeAll started, when the
// file ends. These hooks are registered first, so they run after the file's own afterEach/afterAll hooks.
import { afterAll, afterEach, beforeEach } from 'vitest';
import { releaseChildren, testStarted } from './children.js';

beforeEach(() => testStarted());
afterEach(() => releaseChildren('test'));
afterAll(() => releaseChildren('all'));
