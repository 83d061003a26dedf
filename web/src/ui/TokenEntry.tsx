// For a page opened without a token in its link: type (or paste) it. The
// token goes into the fragment, never into a request.
import { useState } from 'preact/hooks';

export function TokenEntry({ what, onToken }: { what: string; onToken: (token: string, name: string) => void }) {
  const [token, setToken] = useState('');
  const [name, setName] = useState(localStorage.getItem('leadtime.name') ?? '');
  const submit = (e: Event) => {
    e.preventDefault();
    const t = token.trim().replace(/^.*#token=/, '');
    if (!t) return;
    if (name.trim()) localStorage.setItem('leadtime.name', name.trim());
    onToken(decodeURIComponent(t), name.trim());
  };
  return (
    <main class="token-entry">
      <h1>Leadtime</h1>
      <form onSubmit={submit} class="panel">
        <h2>Join {what}</h2>
        <p>Open the link you were given, or paste its token (or the whole link) here.</p>
        <label for="token">Token</label>
        <input id="token" autoComplete="off" spellcheck={false} value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} required />
        <label for="member">Your name (optional, shown to your team and the facilitator)</label>
        <input id="member" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <button type="submit" class="primary">
          Join
        </button>
      </form>
    </main>
  );
}

// Puts the token into the fragment and returns it; the page then renders for it.
export function setFragmentToken(token: string, name: string): void {
  const params = new URLSearchParams();
  params.set('token', token);
  if (name) params.set('name', name);
  window.location.hash = params.toString();
}
