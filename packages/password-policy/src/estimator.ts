// zxcvbn-ts with its common lists (passwords, names, keyboard layouts) and the English ones (words, feedback text).
// Imported only by index.ts's dynamic import: this module and its lists are the weight a caller loads on first use.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

export function estimate(password: string, userInputs: string[]) {
  const result = zxcvbn.check(password, userInputs);
  return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
}
