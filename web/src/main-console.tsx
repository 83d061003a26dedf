import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles/base.css';
import './styles/console.css';
import { parseFragment } from './logic/fragment';
import { ConsolePage } from './ui/console/ConsolePage';
import { CreateGame } from './ui/console/CreateGame';

function App() {
  const [frag, setFrag] = useState(parseFragment(window.location.hash));
  useEffect(() => {
    const on = () => setFrag(parseFragment(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  if (!frag.token) return <CreateGame initialKey={frag.key} />;
  return <ConsolePage key={frag.token} token={frag.token} />;
}

render(<App />, document.getElementById('app')!);
