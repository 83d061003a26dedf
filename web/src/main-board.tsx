import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles/base.css';
import './styles/board.css';
import { parseFragment } from './logic/fragment';
import { BoardPage } from './ui/board/BoardPage';
import { TokenEntry, setFragmentToken } from './ui/TokenEntry';

function App() {
  const [frag, setFrag] = useState(parseFragment(window.location.hash));
  useEffect(() => {
    const on = () => setFrag(parseFragment(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  if (!frag.token) return <TokenEntry what="the board (observer link)" onToken={setFragmentToken} />;
  return <BoardPage key={frag.token} token={frag.token} />;
}

render(<App />, document.getElementById('app')!);
