// The landing page: paste a token (or a link) and be taken to the page for
// its role, learnt from the server's Joined answer.
import { render } from 'preact';
import { useState } from 'preact/hooks';
import './styles/base.css';
import { LeadtimeClient, defaultSocketUrl } from './proto/client';
import { Role } from './generated/leadtime/wire/role';
import { parseFragment } from './logic/fragment';
import { TokenEntry } from './ui/TokenEntry';

function pageFor(role: Role): string {
  return role === Role.Facilitator ? 'console.html' : role === Role.Observer ? 'board.html' : 'seat.html';
}

function App() {
  const [error, setError] = useState('');
  const go = (token: string, name: string) => {
    setError('');
    const client = new LeadtimeClient({ url: defaultSocketUrl(window.location), token, memberName: name, clientName: 'leadtime-web landing' });
    const off = client.onState((s) => {
      if (s.kind === 'joined') {
        off();
        client.stop('done');
        const p = new URLSearchParams({ token });
        if (name) p.set('name', name);
        window.location.assign(`./${pageFor(s.joined.role)}#${p.toString()}`);
      } else if (s.kind === 'stopped' && s.reason !== 'done') {
        off();
        setError(s.reason);
      }
    });
    client.start();
  };
  const frag = parseFragment(window.location.hash);
  if (frag.token && !error) go(frag.token, frag.name);
  return (
    <>
      <TokenEntry what="a game" onToken={go} />
      {error && (
        <p class="callout token-error" role="alert">
          {error}
        </p>
      )}
      <p class="token-entry hint">
        Facilitators: <a href="./console.html">open the console</a> to create a game.
      </p>
    </>
  );
}

render(<App />, document.getElementById('app')!);
