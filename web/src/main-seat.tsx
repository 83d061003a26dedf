import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles/base.css';
import { parseFragment } from './logic/fragment';
import { SeatPage } from './ui/seat/SeatPage';
import { TokenEntry, setFragmentToken } from './ui/TokenEntry';

function App() {
  const [frag, setFrag] = useState(parseFragment(window.location.hash));
  useEffect(() => {
    const on = () => setFrag(parseFragment(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  if (!frag.token) return <TokenEntry what="your team's seat" onToken={setFragmentToken} />;
  const name = frag.name || localStorage.getItem('leadtime.name') || '';
  return <SeatPage key={frag.token} token={frag.token} memberName={name} />;
}

render(<App />, document.getElementById('app')!);
