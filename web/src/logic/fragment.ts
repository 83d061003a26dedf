// Tokens travel in the URL fragment (#token=...), which a browser never sends
// in a request, so they reach no server log (issue #17).
export interface Fragment {
  token: string;
  key: string; // the facilitator key, on the console's create-game link
  name: string; // who is at the keyboard
  params: URLSearchParams;
}

export function parseFragment(hash: string): Fragment {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  return {
    token: (params.get('token') ?? '').trim(),
    key: (params.get('key') ?? '').trim(),
    name: (params.get('name') ?? '').trim(),
    params,
  };
}

// The link that opens `page` (seat.html, board.html, console.html) with a token.
export function joinLink(origin: string, page: string, token: string): string {
  return `${origin.replace(/\/$/, '')}/${page}#token=${encodeURIComponent(token)}`;
}
