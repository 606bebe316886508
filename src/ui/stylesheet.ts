// The reference UI's only stylesheet, served as /ui.css so the Content-Security-Policy can forbid inline styles.
export const STYLESHEET = `
:root {
  color-scheme: light dark;
  --bg: #f4f5f7; --card: #ffffff; --text: #1d2330; --muted: #5b6475; --line: #d9dde5;
  --accent: #2f5bd3; --accent-text: #ffffff; --danger: #b42318; --danger-bg: #fdecea; --code-bg: #f0f2f6;
  --focus: #f5a623;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171d; --card: #1d2129; --text: #e7e9ee; --muted: #a2a9b8; --line: #343a46;
    --accent: #7c9cf5; --accent-text: #0e1117; --danger: #ff8a80; --danger-bg: #3a1f1f; --code-bg: #151920;
  }
}
* { box-sizing: border-box; }
html { font-size: 100%; }
body {
  margin: 0; min-height: 100vh; background: var(--bg); color: var(--text);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  display: flex; flex-direction: column; align-items: center; padding: 3rem 1rem 2rem;
}
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--card); padding: .5rem 1rem; }
header.brand { width: 100%; max-width: 30rem; margin-bottom: 1rem; color: var(--muted); font-size: .875rem; letter-spacing: .04em; }
header.brand strong { color: var(--text); letter-spacing: .08em; }
main { width: 100%; max-width: 30rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 2rem; box-shadow: 0 1px 3px rgb(0 0 0 / 6%); }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .5rem; }
p.lead { color: var(--muted); margin: 0 0 1.5rem; }
label { display: block; font-weight: 600; margin: 0 0 .25rem; }
input[type=email], input[type=password], input[type=text] {
  width: 100%; font: inherit; padding: .625rem .75rem; margin: 0 0 1rem; color: var(--text); background: var(--card);
  border: 1px solid var(--line); border-radius: 8px;
}
fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 1rem; padding: .75rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
.check { display: flex; gap: .5rem; align-items: baseline; font-weight: 400; margin: .25rem 0; }
.check input { margin: 0; }
.check small { color: var(--muted); }
.actions { display: flex; gap: .75rem; margin-top: 1.5rem; flex-wrap: wrap; }
button, .button {
  font: inherit; font-weight: 600; border-radius: 8px; padding: .625rem 1.25rem; cursor: pointer;
  border: 1px solid var(--accent); background: var(--accent); color: var(--accent-text); text-decoration: none;
}
button.secondary, .button.secondary { background: transparent; color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.alert { border: 1px solid var(--danger); background: var(--danger-bg); color: var(--danger); border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
.hint { color: var(--muted); font-size: .875rem; }
code { background: var(--code-bg); padding: .1rem .3rem; border-radius: 4px; font-size: .875em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
details.teach { margin-top: 1.5rem; background: var(--card); border: 1px dashed var(--line); border-radius: 12px; padding: 1rem 1.25rem; }
details.teach summary { cursor: pointer; font-weight: 600; }
details.teach ol { padding-left: 1.25rem; }
details.teach pre { background: var(--code-bg); padding: .75rem; border-radius: 8px; overflow: auto; max-height: 24rem; font-size: .8125rem; line-height: 1.4; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8125rem; max-width: 30rem; text-align: center; }
`
