/**
 * The portal stylesheet, served from this origin (`/static/portal.css`) because the CSP allows
 * no inline styles. Fonts fall back to Noto Sans CJK for Japanese text.
 */
export const portalCss = `
:root { --fg:#1b1f24; --muted:#5b6570; --line:#d8dee4; --bg:#f6f8fa; --accent:#0b5cad; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 system-ui, "Noto Sans CJK JP", "Noto Sans JP", sans-serif; color:var(--fg); background:var(--bg); }
header { display:flex; gap:1rem; align-items:center; padding:.6rem 1.2rem; background:#fff; border-bottom:1px solid var(--line); }
header .brand { font-weight:700; color:var(--fg); text-decoration:none; }
header .tagline { color:var(--muted); }
header nav { margin-left:auto; display:flex; gap:1rem; align-items:center; }
main { padding:1.2rem; max-width:1200px; margin:0 auto; }
footer { padding:1rem 1.2rem; color:var(--muted); font-size:.85em; }
a { color:var(--accent); }
form.inline { display:inline-flex; gap:.5rem; align-items:center; margin:0; }
.who { color:var(--muted); font-size:.9em; }
table { width:100%; border-collapse:collapse; background:#fff; }
th, td { text-align:left; padding:.45rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-weight:600; background:#eef1f4; white-space:nowrap; }
td.nowrap { white-space:nowrap; }
ul.tiles { list-style:none; display:flex; gap:1rem; padding:0; margin:0; flex-wrap:wrap; }
ul.tiles a { display:flex; flex-direction:column; align-items:center; gap:.3rem; padding:.6rem 1rem; border:1px solid var(--line); text-decoration:none; color:var(--fg); min-width:6rem; }
ul.tiles .count { font-size:1.6em; font-weight:700; }
.sev { display:inline-block; padding:0 .5em; border-radius:3px; font-size:.85em; font-weight:600; }
.sev-critical { background:#6e0b0b; color:#fff; } .sev-high { background:#c62828; color:#fff; }
.sev-medium { background:#ef8f00; color:#000; } .sev-low { background:#ffe082; color:#000; }
.sev-info { background:#cfd8dc; color:#000; }
.card { background:#fff; border:1px solid var(--line); padding:1rem 1.2rem; margin-bottom:1rem; }
.login { max-width:360px; margin:3rem auto; }
.login label { display:block; margin:.6rem 0 .2rem; }
.login input { width:100%; padding:.45rem; }
.error { color:#b00020; }
pre { overflow:auto; background:#f0f3f6; padding:.8rem; }
.filters { display:flex; gap:.8rem; align-items:center; margin-bottom:1rem; }
dl.meta { display:grid; grid-template-columns:max-content 1fr; gap:.3rem 1rem; }
dl.meta dt { color:var(--muted); }
.status { font-weight:600; } .status-online { color:#1b7f3b; } .status-offline { color:#b00020; }
.status-pending { color:var(--muted); } .outdated { color:#ad5a00; font-size:.85em; }
`
