// What the server-search pickers (components/pickers) share: the text typed, searched for once typing pauses
// (trimmed; empty asks for the first matches), and whether an answer for the latest text is still awaited. Each
// picker keeps its own typed query document (codegen types one document per query) with a `$search` variable.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useDebounced } from './useDebounced';

export function useServerSearch<Data>(query: TypedDocumentNode<Data, { search?: string | null }>, ms = 250) {
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), ms);
  const [{ data, fetching }] = useQuery({ query, variables: { search: search || null } });
  return {
    /** The latest answer (it may be for an earlier text while `searching`). */
    data,
    /** Give it what is typed. */
    setText,
    /** The answer for the text typed last has not arrived yet. */
    searching: fetching || search !== text.trim(),
  };
}
