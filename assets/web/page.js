// The web page of a chainmap map: draws the layout chainmap computed, and lets a reader
// browse it (pan, zoom, details), find and follow (search, trace, thesis and market
// lenses, filters, saved views), share the view (the state lives in the URL's hash), in
// English or Chinese. Everything comes from the JSON chainmap wrote into the page
// (#map-data) and the page's words (#words); nothing is fetched.
//
// Safety: text of the map reaches the page only through textContent and attribute
// values (never innerHTML), and only http and https links become hrefs.
'use strict';
(function () {
  const D = JSON.parse(document.getElementById('map-data').textContent);
  const WORDS = JSON.parse(document.getElementById('words').textContent);
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const svg = $('map');
  const camera = $('camera');
  // More cards than this are drawn as blocks, and as cards only where the view shows few.
  const ALL_CARDS_UP_TO = 3000;
  const MAX_CARDS_DRAWN = 2500;
  const FLOW_ZOOM = 1.1;
  // The fewest letters a title shows at overview: fewer, and it has none.
  const TITLE_LETTERS = 3;

  const state = {
    lang: D.lang === 'zh' ? 'zh' : 'en',
    sel: -1, trace: false, lens: -1, market: -1,
    tier: -1, seg: -1, tag: '', hide: new Set(), embed: false,
  };
  let cam = { x: 0, y: 0, k: 1 };
  let traced = null;
  let hovered = -1;

  // ---- words and the map's texts ----
  function word(key, vars) {
    const entry = WORDS[key];
    let text = entry ? (entry[state.lang] || entry.en) : key;
    for (const name in vars || {}) text = text.split('{' + name + '}').join(String(vars[name]));
    return text;
  }
  function pick(pair) {
    if (!pair) return '';
    return (state.lang === 'zh' && pair[1]) ? pair[1] : pair[0];
  }
  function other(pair) {
    if (!pair) return '';
    return state.lang === 'zh' ? pair[0] : (pair[1] || '');
  }
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function sv(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const name in attrs || {}) e.setAttribute(name, attrs[name]);
    return e;
  }
  function safeUrl(url) {
    return typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
  }

  // ---- indices derived once ----
  const N = D.nodes.length;
  const nodeById = new Map(D.nodes.map((n, i) => [n.id, i]));
  const thesisById = new Map(D.theses.map((t, i) => [t.id, i]));
  const marketById = new Map(D.markets.map((m, i) => [m.id, i]));
  const sourceById = new Map(D.sources.map((s, i) => [s.id, i]));
  const segById = new Map(D.segments.map((s, i) => [s.id, i]));
  const tierById = new Map(D.tiers.map((t, i) => [t.id, i]));
  const linksIn = D.nodes.map(() => []);
  const linksOut = D.nodes.map(() => []);
  D.links.forEach((l, i) => {
    if (l.from !== null && l.from >= 0) linksOut[l.from].push(i);
    if (l.to !== null && l.to >= 0) linksIn[l.to].push(i);
  });
  function endName(end) {
    if (end === null || end === undefined) return '?';
    return end >= 0 ? pick(D.nodes[end].name) : pick(D.segments[-end - 1].name);
  }
  function rectOfHolder(h) {
    if (typeof h === 'number') return h >= 0 ? D.nodes[h].rect : D.segments[-h - 1].rect;
    return h && D.tiers[h.t] ? D.tiers[h.t].rect : null;
  }

  // ---- what the model says: trace, thesis lens, market lens, filter ----
  // The trace walks the graph chainmap wrote (model::trace::walk_graph): breadth first,
  // a node along its own links then its segments', a segment along its line's links.
  function traceFrom(start) {
    if (D.nodes[start].class !== 'participant') return null;
    const fromAt = new Map();
    const toAt = new Map();
    const push = (table, key, entry) => {
      if (!table.has(key)) table.set(key, []);
      table.get(key).push(entry);
    };
    D.walk.ends.forEach((ends, link) => {
      if (!ends || state.hide.has(D.links[link].kind)) return;
      push(fromAt, ends[0], [link, ends[1]]);
      push(toAt, ends[1], [link, ends[0]]);
    });
    function steps(item, table) {
      const out = [];
      const own = (key) => { for (const s of table.get(key) || []) out.push(s); };
      if (item >= 0) {
        own(item);
        for (const s of D.walk.nodeSegments[item]) own(-s - 1);
      } else {
        for (const s of D.walk.segmentLines[-item - 1]) own(-s - 1);
      }
      return out;
    }
    const result = { start: start, up: [], down: [] };
    for (const [dir, table] of [['up', toAt], ['down', fromAt]]) {
      const walk = result[dir];
      const seen = new Set([start]);
      const queue = [[start, -1, 0]];
      for (let head = 0; head < queue.length; head++) {
        const [item, entry, depth] = queue[head];
        for (const [link, next] of steps(item, table)) {
          if (seen.has(next)) continue;
          seen.add(next);
          walk.push({ item: next, depth: depth + 1, link: link, from: entry });
          queue.push([next, walk.length - 1, depth + 1]);
        }
      }
    }
    result.nodes = new Set([start]);
    result.segments = new Set();
    for (const r of result.up.concat(result.down)) {
      if (r.item >= 0) result.nodes.add(r.item); else result.segments.add(-r.item - 1);
    }
    return result;
  }
  function pathText(walk, at, dir) {
    const steps = [];
    for (let i = at; i >= 0; i = walk[i].from) steps.push(walk[i]);
    const arrow = dir === 'up' ? ' ← ' : ' → ';
    let text = pick(D.nodes[traced.start].name);
    for (let i = steps.length - 1; i >= 0; i--) {
      text += arrow + pick(D.kinds[D.links[steps[i].link].kind].name) + arrow + endName(steps[i].item);
    }
    return text;
  }
  // The nodes a thesis is about (model::thesis_lens::lens_nodes): named, or in a named tier,
  // segment or a segment's parent. The page's data never changes, so each is worked out once.
  const thesisAbout = D.theses.map((t) => new Set(t.about));
  function thesisCovers(thesis, i) {
    const about = thesisAbout[thesis];
    const n = D.nodes[i];
    if (about.has(n.id) || (n.tier !== null && about.has(D.tiers[n.tier].id))) return true;
    return n.segments.some((s) => {
      const seg = D.segments[s];
      return about.has(seg.id) || (seg.parent !== null && about.has(D.segments[seg.parent].id));
    });
  }
  const lensCache = new Map();
  function lensNodes(thesis) {
    if (!lensCache.has(thesis)) {
      const lit = new Set();
      for (let i = 0; i < D.nodes.length; i++) if (thesisCovers(thesis, i)) lit.add(i);
      lensCache.set(thesis, lit);
    }
    return lensCache.get(thesis);
  }
  // The nodes a market leaves lit (MarketLens::lit): its holders, and the nodes of a
  // holding segment (or one inside it) or tier.
  function marketNodes(market) {
    const lit = new Set();
    for (const share of D.markets[market].shares) {
      const h = share.holder;
      if (typeof h === 'number' && h >= 0) lit.add(h);
      else if (typeof h === 'number') {
        const s = -h - 1;
        D.walk.nodeSegments.forEach((line, i) => { if (line.includes(s)) lit.add(i); });
      } else if (h) D.nodes.forEach((n, i) => { if (n.tier === h.t) lit.add(i); });
    }
    return lit;
  }
  function filterNodes() {
    if (state.tier < 0 && state.seg < 0 && !state.tag) return null;
    const keep = new Set();
    D.nodes.forEach((n, i) => {
      if (state.tier >= 0 && n.tier !== state.tier) return;
      if (state.seg >= 0 && !n.segments.some((s) => s === state.seg || D.segments[s].parent === state.seg)) return;
      if (state.tag && !(n.tags || []).includes(state.tag)) return;
      keep.add(i);
    });
    return keep;
  }
  // The same precedence as the window: a trace, else a thesis lens, else a market, else a filter.
  function emphasis() {
    if (traced) return traced.nodes;
    if (state.lens >= 0) return lensNodes(state.lens);
    if (state.market >= 0) return marketNodes(state.market);
    return filterNodes();
  }

  // ---- drawing ----
  const cardEls = new Map();
  const boxEls = [];
  const boxTitles = [];
  const bandNames = [];
  // The market's concentration on the boxes and bands where it sits: [group, holder, text,
  // its top-1 alone];
  // the shares' pills: [group, holder's rectangle, room before it, width] at zoom 1; and
  // where the pills are at this zoom, in map units, for the labels to keep clear of.
  const homeLabels = [];
  const pills = [];
  const pillRects = [];
  function roundedPath(pts) {
    if (!pts || pts.length < 4) return '';
    let d = 'M' + pts[0] + ' ' + pts[1];
    for (let i = 2; i + 1 < pts.length; i += 2) {
      const x0 = pts[i - 2], y0 = pts[i - 1], x1 = pts[i], y1 = pts[i + 1];
      const my = (y0 + y1) / 2;
      d += 'C' + x0 + ' ' + my + ' ' + x1 + ' ' + my + ' ' + x1 + ' ' + y1;
    }
    return d;
  }
  function drawStatic() {
    const bands = $('bands');
    // Names and titles over the boxes, cards and links, on a halo: in its header a title
    // covers none of them; zoomed out, a tier's name and a top segment's title stand over
    // what the header is too thin for.
    const titles = $('titles');
    D.tiers.forEach((t, i) => {
      if (!t.rect) return;
      const [x, y, w, h] = t.rect;
      bands.appendChild(sv('rect', { class: 'band' + (i % 2 ? ' alt' : ''), x: x, y: y, width: w, height: h }));
      const name = sv('text', { class: 'band-name' + (i % 2 ? ' alt' : ''), x: x + 6, y: y + 14 });
      titles.appendChild(name);
      bandNames.push([name, t]);
    });
    const boxes = $('boxes');
    D.segments.forEach((s, i) => {
      if (!s.rect) return;
      const [x, y, w, h] = s.rect;
      const r = sv('rect', { class: 'box depth' + s.depth, x: x, y: y, width: w, height: h, rx: 3 });
      boxes.appendChild(r);
      r.dataset.segment = i;
      boxEls[i] = r;
      const title = sv('text', { class: 'box-title', x: x + 5, y: y + 12 });
      title.dataset.segment = i;
      titles.appendChild(title);
      boxTitles.push([title, s, i]);
    });
    if (N > ALL_CARDS_UP_TO) {
      let d = '';
      for (const n of D.nodes) {
        if (!n.rect) continue;
        const [x, y, w, h] = n.rect;
        d += 'M' + x + ' ' + y + 'h' + w + 'v' + h + 'h' + (-w) + 'z';
      }
      $('blocks').setAttribute('d', d);
    }
    const flows = $('flows');
    for (const f of D.flows) {
      const width = Math.min(14, 1.5 + 2 * Math.sqrt(f.links.length));
      const p = sv('path', { class: 'flow k' + f.kind, d: roundedPath(f.route), 'stroke-width': width });
      p.dataset.kind = f.kind;
      const title = sv('title');
      title.textContent = f.links.length + ' × ' + pick(D.kinds[f.kind].name);
      p.appendChild(title);
      flows.appendChild(p);
    }
  }
  // Reading order: box by box (top to bottom, left to right), then card by card.
  function readingOrder() {
    const key = (i) => {
      const n = D.nodes[i];
      const seg = n.segments.length ? D.segments[n.segments[0]] : null;
      const box = (seg && seg.rect) || (n.tier !== null && D.tiers[n.tier].rect) || [0, 0, 0, 0];
      const r = n.rect || [0, 0, 0, 0];
      return [box[1], box[0], r[1], r[0]];
    };
    const keys = D.nodes.map((_, i) => key(i));
    return D.nodes.map((_, i) => i).sort((a, b) => {
      for (let j = 0; j < 4; j++) if (keys[a][j] !== keys[b][j]) return keys[a][j] - keys[b][j];
      return a - b;
    });
  }
  const order = readingOrder();
  function wrapName(name, width) {
    const estimate = (s) => Array.from(s).reduce((w, c) => w + (c.codePointAt(0) >= 0x2e80 ? 13 : 7), 0);
    if (estimate(name) <= width) return [name];
    const chars = Array.from(name);
    let best = Math.floor(chars.length / 2);
    const spaces = [];
    chars.forEach((c, i) => { if (c === ' ') spaces.push(i); });
    if (spaces.length) best = spaces.reduce((a, b) => Math.abs(b - chars.length / 2) < Math.abs(a - chars.length / 2) ? b : a);
    return [chars.slice(0, best).join('').trim(), chars.slice(best).join('').trim()];
  }
  // "Foundation models · Closed-source models · company": a node's tier, segments and kind.
  function whereText(n) {
    const where = [n.tier !== null ? pick(D.tiers[n.tier].name) : ''].concat(n.segments.map((s) => pick(D.segments[s].name)));
    return where.filter(Boolean).join(' · ') + ' · ' + pick(n.kindName);
  }
  function makeCard(i) {
    const n = D.nodes[i];
    const [x, y, w, h] = n.rect;
    const g = sv('g', { class: 'card ' + n.class, role: 'button', tabindex: '0' });
    g.dataset.node = i;
    g.appendChild(sv('rect', { class: 'face', x: x, y: y, width: w, height: h, rx: 3 }));
    let left = x + 8;
    if (n.logo !== undefined && D.logos[n.logo]) {
      g.appendChild(sv('image', { href: D.logos[n.logo], x: x + 4, y: y + (h - 20) / 2, width: 20, height: 20 }));
      left = x + 28;
    }
    g.appendChild(sv('text', { x: left, y: y + h / 2 }));
    labelCard(g, i);
    cardEls.set(i, g);
    return g;
  }
  function labelCard(g, i) {
    const n = D.nodes[i];
    const name = pick(n.name);
    g.setAttribute('aria-label', name);
    // Where it sits, which the titles (drawn, and hidden from screen readers) show.
    g.setAttribute('aria-description', whereText(n));
    const text = g.querySelector('text');
    while (text.firstChild) text.removeChild(text.firstChild);
    const lines = wrapName(name, n.rect[2] - 16);
    const x = text.getAttribute('x');
    const y0 = n.rect[1] + n.rect[3] / 2 - (lines.length - 1) * 7.5 + 4;
    lines.forEach((line, j) => {
      const span = sv('tspan', { x: x, y: y0 + j * 15 });
      span.textContent = line;
      text.appendChild(span);
    });
  }
  function drawCards() {
    const layer = $('cards');
    if (N <= ALL_CARDS_UP_TO) {
      if (cardEls.size === 0) for (const i of order) if (D.nodes[i].rect) layer.appendChild(makeCard(i));
      return;
    }
    // A big map: cards only where the view shows few of them.
    const v = visibleRect();
    const shown = [];
    for (const i of order) {
      const r = D.nodes[i].rect;
      if (r && r[0] < v.x + v.w && r[0] + r[2] > v.x && r[1] < v.y + v.h && r[1] + r[3] > v.y) {
        shown.push(i);
        if (shown.length > MAX_CARDS_DRAWN) break;
      }
    }
    const keep = shown.length <= MAX_CARDS_DRAWN ? new Set(shown) : new Set(state.sel >= 0 ? [state.sel] : []);
    for (const [i, g] of cardEls) if (!keep.has(i)) { g.remove(); cardEls.delete(i); }
    for (const i of keep) if (!cardEls.has(i) && D.nodes[i].rect) layer.appendChild(makeCard(i));
    paintCards();
  }
  function routeEl(link) {
    const l = D.links[link];
    const p = sv('path', { class: 'route k' + l.kind, d: roundedPath(l.route) });
    const title = sv('title');
    title.textContent = endName(l.from) + ' → ' + pick(D.kinds[l.kind].name) + ' → ' + endName(l.to);
    p.appendChild(title);
    return p;
  }
  // Links drawn node to node: those of the hovered or selected card, the trace or the
  // thesis lens on top; zoomed in, every link in view.
  function drawEdges() {
    const layer = $('edges');
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    const shown = new Set();
    const around = (i) => { for (const l of linksIn[i].concat(linksOut[i])) shown.add(l); };
    if (state.sel >= 0) around(state.sel);
    if (hovered >= 0) around(hovered);
    if (traced) for (const r of traced.up.concat(traced.down)) shown.add(r.link);
    if (cam.k >= FLOW_ZOOM) {
      const v = visibleRect();
      for (let i = 0; i < D.links.length && shown.size < 4000; i++) {
        const l = D.links[i];
        if (!l.route) continue;
        const inView = (e) => e !== null && e >= 0 && D.nodes[e].rect && overlaps(D.nodes[e].rect, v);
        if (inView(l.from) || inView(l.to)) shown.add(i);
      }
    }
    for (const link of shown) {
      const l = D.links[link];
      if (l.route && !state.hide.has(l.kind)) layer.appendChild(routeEl(link));
    }
    $('flows').style.display = cam.k >= FLOW_ZOOM ? 'none' : '';
    for (const f of $('flows').children) f.style.display = state.hide.has(Number(f.dataset.kind)) ? 'none' : '';
  }
  function overlaps(r, v) {
    return r[0] < v.x + v.w && r[0] + r[2] > v.x && r[1] < v.y + v.h && r[1] + r[3] > v.y;
  }
  function paintCards() {
    const lit = emphasis();
    for (const [i, g] of cardEls) {
      g.classList.toggle('sel', i === state.sel);
      g.classList.toggle('dim', lit !== null && !lit.has(i) && i !== state.sel);
      g.classList.toggle('lit', lit !== null && lit.has(i) && (traced !== null || state.lens >= 0));
    }
    boxEls.forEach((r, s) => { if (r) r.classList.toggle('lit', !!traced && traced.segments.has(s)); });
  }
  // The market and language the overlay and lens card were drawn for: they depend on
  // nothing else, so a selection, a trace or a filter leaves them (and the titles cut for
  // them) as they are.
  let overlayDrawn = null;
  function drawOverlay() {
    const drawn = state.market + '|' + state.lang;
    if (drawn === overlayDrawn) return;
    overlayDrawn = drawn;
    const layer = $('overlay');
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    // Titles were cut for the marks taken away: they are laid out again (only then, as
    // that costs the page a layout).
    const hadMarks = homeLabels.length > 0 || pills.length > 0;
    homeLabels.length = 0;
    pills.length = 0;
    const card = $('lens-card');
    while (card.firstChild) card.removeChild(card.firstChild);
    card.hidden = state.market < 0;
    if (state.market < 0) {
      if (hadMarks) scaleLabels();
      return;
    }
    const m = D.markets[state.market];
    // How wide the pills already at a holder are, by holder: the next one goes left of them.
    const pillsAt = new Map();
    const keyOf = (h) => (typeof h === 'number' ? h : 't' + h.t);
    for (const share of m.shares) {
      const r = rectOfHolder(share.holder);
      if (!r) continue;
      const [x, y, w, h] = r;
      const rank = 'r' + Math.min(share.rank, 5);
      const bar = (from, to, extra) => layer.appendChild(sv('rect', {
        class: 'share-bar ' + rank + extra, x: x + w * from / 100, y: y + h - 4, width: Math.max(0.5, w * (to - from) / 100), height: 4,
      }));
      bar(0, share.low, '');
      if (share.high > share.low) bar(share.low, Math.min(100, share.high), ' range');
      if (share.pill !== null && share.pill !== undefined) {
        const at = rectOfHolder(share.pill) ? share.pill : share.holder;
        const before = pillsAt.get(keyOf(at)) || 0;
        const width = drawPill(layer, at, before, share.label[state.lang === 'zh' ? 1 : 0]);
        pillsAt.set(keyOf(at), before + width + 4);
      }
    }
    for (const home of m.homes) {
      if (!rectOfHolder(home)) continue;
      const g = sv('g', { class: 'box-concentration' });
      if (typeof home === 'number') g.dataset.segment = -home - 1;
      g.appendChild(sv('rect', { rx: 3 }));
      const t = sv('text', { 'text-anchor': 'end' });
      g.appendChild(t);
      layer.appendChild(g);
      const lang = state.lang === 'zh' ? 1 : 0;
      homeLabels.push([g, home, m.concentration[lang], m.top1Text[lang]]);
    }
    scaleLabels();
    const close = el('button', 'close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', word('close'));
    close.addEventListener('click', () => { state.market = -1; update(); });
    card.appendChild(close);
    card.appendChild(el('h2', null, pick(m.name)));
    card.appendChild(el('p', 'concentration', m.concentration[state.lang === 'zh' ? 1 : 0]));
    card.appendChild(el('p', 'muted', m.unclaimed[state.lang === 'zh' ? 1 : 0] + (m.size ? ' · ' + word('size') + ' ' + m.size : '')));
    if (m.theses.length) {
      // Folded on a phone, where the card would cover half the map, as the window folds
      // them; open or closed as the reader last left them after that.
      const fold = el('details');
      fold.open = lensThesesOpen === null ? !narrowScreen.matches : lensThesesOpen;
      const summary = el('summary', null, word('theses-about') + ' (' + m.theses.length + ')');
      // The reader's click (or Enter) on it, before it opens or folds; not the page's own
      // opening above, which also fires a toggle.
      summary.addEventListener('click', () => { lensThesesOpen = !fold.open; });
      fold.appendChild(summary);
      const list = el('ul');
      for (const t of m.theses) {
        const li = el('li');
        li.appendChild(linkButton(pick(D.theses[t].title), () => { state.lens = t; update(); }));
        list.appendChild(li);
      }
      fold.appendChild(list);
      card.appendChild(fold);
    }
  }
  const narrowScreen = matchMedia('(max-width: 700px)');
  let lensThesesOpen = null;
  // A phone turned, a window narrowed: the theses fold or unfold with it until the reader
  // has chosen.
  narrowScreen.addEventListener('change', () => {
    const fold = document.querySelector('#lens-card details');
    if (fold && lensThesesOpen === null) fold.open = !narrowScreen.matches;
  });
  // A share's value on the top edge of its holder's rectangle, at its right, left of the
  // pills already there (`before`, the width they take at zoom 1); returns its own width
  // at zoom 1. placePills sizes it.
  function drawPill(layer, holder, before, label) {
    const width = Array.from(label).reduce((w, c) => w + (c.codePointAt(0) >= 0x2e80 ? 11 : 6), 8);
    const g = sv('g', { class: 'pill' });
    g.appendChild(sv('rect'));
    const t = sv('text', { 'text-anchor': 'middle' });
    t.textContent = label;
    g.appendChild(t);
    layer.appendChild(g);
    pills.push([g, holder, before, width]);
    return width;
  }
  // Sizes the pills for zoom `k` as the window does: their text 10 pixels at the least
  // and 14 at the most, whatever the zoom. Notes where each is, for the labels, and
  // returns, by segment, the screen pixels a box's own pills take from its title.
  function placePills(k) {
    const s = Math.min(14, Math.max(10, 10 * k)) / (10 * k);
    pillRects.length = 0;
    const room = new Map();
    for (const [g, holder, before, base] of pills) {
      const r = rectOfHolder(holder);
      const width = base * s;
      const right = r[0] + r[2] - (2 + before) * s;
      const [plate, t] = g.children;
      const at = [right - width, r[1] - 7 * s, width, 13 * s];
      plate.setAttribute('x', at[0]);
      plate.setAttribute('y', at[1]);
      plate.setAttribute('width', at[2]);
      plate.setAttribute('height', at[3]);
      plate.setAttribute('rx', 6 * s);
      t.setAttribute('x', right - width / 2);
      t.setAttribute('y', r[1] + 3 * s);
      t.setAttribute('font-size', 10 * s);
      pillRects.push(at);
      if (typeof holder === 'number' && holder < 0) {
        const taken = (r[0] + r[2] - at[0]) * k + 3;
        room.set(-holder - 1, Math.max(room.get(-holder - 1) || 0, taken));
      }
    }
    return room;
  }

  // ---- the camera ----
  function stageSize() {
    const r = svg.getBoundingClientRect();
    return { w: Math.max(1, r.width), h: Math.max(1, r.height) };
  }
  function visibleRect() {
    const s = stageSize();
    return { x: cam.x, y: cam.y, w: s.w / cam.k, h: s.h / cam.k };
  }
  // Whether the camera is where Fit left it (no pan, zoom or walk since): then a page
  // resized (a phone turned, a window dragged) fits the map again instead of cutting it.
  let fitted = false;
  function fit() {
    const s = stageSize();
    // The legend sits over the stage's foot (three lines on a phone): the map goes above it.
    const legend = $('legend').getBoundingClientRect();
    const h = Math.max(1, s.h - (legend.height > 0 ? legend.height + 4 : 0));
    const [bx, by, bw, bh] = D.bounds;
    const k = Math.min(s.w / Math.max(1, bw), h / Math.max(1, bh)) * 0.98;
    cam = { k: k, x: bx + bw / 2 - s.w / 2 / k, y: by + bh / 2 - h / 2 / k };
    applyCamera();
    fitted = true;
  }
  function showRect(x, y, w, h) {
    const s = stageSize();
    const k = Math.min(s.w / Math.max(1, w), s.h / Math.max(1, h));
    cam = { k: k, x: x + w / 2 - s.w / 2 / k, y: y + h / 2 - s.h / 2 / k };
    applyCamera();
  }
  function zoomAt(factor, sx, sy) {
    const k = Math.min(40, Math.max(0.01, cam.k * factor));
    const mx = cam.x + sx / cam.k;
    const my = cam.y + sy / cam.k;
    cam = { k: k, x: mx - sx / k, y: my - sy / k };
    applyCamera();
  }
  let frame = 0;
  let settle = 0;
  function applyCamera() {
    fitted = false;
    camera.setAttribute('transform', 'scale(' + cam.k + ') translate(' + (-cam.x) + ' ' + (-cam.y) + ')');
    svg.classList.toggle('tiny', cam.k * 12 < 5);
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      scaleLabels();
      clearTimeout(settle);
      settle = setTimeout(() => { drawCards(); drawEdges(); writeHash(); }, 120);
    });
  }
  // Tier names, segment titles and the market's concentration labels stay readable at
  // any zoom. A title is cut at its box's edge, or before the concentration label that
  // shares its line; a label its box cannot hold is left to the lens card, which says
  // the same.
  function scaleLabels() {
    const k = cam.k;
    // Where the tiers' names are, in map units: a title on their line starts after them,
    // as in the window.
    const bandRects = new Map();
    const nameSize = Math.max(13, 12 / k);
    for (const [t, tier] of bandNames) {
      t.setAttribute('font-size', nameSize);
      t.setAttribute('y', tier.rect[1] + Math.max(14, 13 / k));
      t.textContent = pick(tier.name);
    }
    // Read after every write: one layout of the page, not one a tier.
    for (const [t, tier] of bandNames) {
      const baseline = tier.rect[1] + Math.max(14, 13 / k);
      const left = tier.rect[0] + 6;
      bandRects.set(tier, [left, baseline - nameSize, left + t.getComputedTextLength(), baseline + 0.3 * nameSize]);
    }
    svg.dataset.labelScale = k;
    const pillRoom = placePills(k);
    const labelRoom = placeHomeLabels(k, bandRects);
    for (const [s, taken] of pillRoom) labelRoom.set(s, Math.max(labelRoom.get(s) || 0, taken));
    // At overview (cards too small for their names) only top segments have titles, over
    // the cards on a halo, and none that would show less than a few letters, as in the
    // window.
    const overview = k * 12 < 5;
    for (const [t, seg, i] of boxTitles) {
      const size = Math.max(10, 10 / k);
      const baseline = seg.rect[1] + Math.min(seg.rect[3] - 2, size + 2);
      const right = seg.rect[0] + seg.rect[2];
      let left = seg.rect[0] + 5;
      for (const b of bandRects.values()) {
        if (b[1] < baseline + 0.3 * size && b[3] > baseline - size && b[0] < right && b[2] + 6 / k > left) {
          left = b[2] + 6 / k;
        }
      }
      // The screen pixels the title has, short of the box's edge and the market's label.
      const px = (right - left) * k - 3 - (labelRoom.get(i) || 0);
      const count = membersOf[i];
      const full = pick(seg.name) + (count ? ' (' + count + ')' : '');
      // Chinese characters are about as wide as the font is tall, Latin ones about 0.62,
      // the ellipsis a whole character.
      const room = px / (size * k);
      // A box shorter than its title would spill it over the boxes below.
      const tall = seg.rect[3] * k >= size * k + 4;
      const shown = room >= (overview ? TITLE_LETTERS : 2) && tall && !(overview && seg.depth !== 1);
      t.style.display = shown ? '' : 'none';
      t.classList.toggle('over', overview);
      if (!shown) continue;
      t.setAttribute('font-size', size);
      t.setAttribute('x', left);
      t.setAttribute('y', baseline);
      const chars = Array.from(full);
      let width = 0;
      let fits = 0;
      for (const c of chars) {
        width += c.codePointAt(0) >= 0x2e80 ? 1 : 0.62;
        if (width > room - 1) break;
        fits += 1;
      }
      const cut = (n) => (n < chars.length ? chars.slice(0, Math.max(1, n)).join('') + '…' : full);
      t.textContent = cut(fits);
      // Beside a label the estimate is not enough: the title is measured, and cut until it
      // ends before the label's plate (a few boxes: only where the market sits).
      if (labelRoom.has(i)) {
        const limit = (right - left) * k - labelRoom.get(i);
        while (fits > 1 && t.getComputedTextLength() * k > limit) {
          fits -= 1;
          t.textContent = cut(fits);
        }
      }
    }
  }
  // Sizes and places the concentration labels for zoom `k`, on a plate at the right of
  // their box's title line or their band's name line, moved left of any share's pill it
  // would cover, and right of its band's name: the whole concentration, or in a narrow box
  // its top-1 alone. Returns, by segment, the screen pixels a label takes from its box's
  // title.
  function placeHomeLabels(k, bandRects) {
    const room = new Map();
    for (const [g, home, text, top1] of homeLabels) {
      const r = rectOfHolder(home);
      const band = typeof home !== 'number';
      const size = Math.max(10, 10 / k);
      const baseline = band ? r[1] + Math.max(14, 13 / k) : r[1] + Math.min(r[3] - 2, size + 2);
      const top = baseline - 1.05 * size;
      const height = 1.4 * size;
      // Where the plate may start: a box keeps room for a few letters of its title (after
      // a tier's name on its line), a band for its name.
      let leftmost = r[0] + (8 + 3 * size * k) / k;
      for (const [tier, name] of bandRects) {
        const own = band && tier === D.tiers[home.t];
        if (own || (!band && name[1] < top + height && name[3] > top && name[0] < r[0] + r[2] && name[2] > r[0])) {
          leftmost = own ? name[2] + 8 / k : Math.max(leftmost, name[2] + (8 + 3 * size * k) / k);
        }
      }
      // A box shorter than the label has none (the lens card says the same).
      const tall = band || r[3] * k >= size * k + 4;
      const t = g.lastChild;
      t.setAttribute('font-size', size);
      t.setAttribute('y', baseline);
      g.style.display = '';
      let width = 0;
      let right = 0;
      let fits = false;
      for (const shown of [text, top1]) {
        t.textContent = shown;
        width = t.getComputedTextLength() + 6 / k;
        right = r[0] + r[2] - 4 / k;
        for (let moved = true; moved && right - width >= leftmost;) {
          moved = false;
          for (const p of pillRects) {
            const clear = p[0] >= right || p[0] + p[2] <= right - width || p[1] >= top + height || p[1] + p[3] <= top;
            if (!clear) {
              right = p[0] - 3 / k;
              moved = true;
            }
          }
        }
        fits = tall && right - width >= leftmost;
        if (fits) break;
      }
      g.style.display = fits ? '' : 'none';
      t.setAttribute('x', right - 3 / k);
      const plate = g.firstChild;
      plate.setAttribute('x', right - width);
      plate.setAttribute('y', top);
      plate.setAttribute('width', width);
      plate.setAttribute('height', height);
      plate.setAttribute('stroke-width', 1 / k);
      // From the plate to the box's edge, and a gap of 3 pixels before the title.
      if (fits && !band) room.set(-home - 1, (r[0] + r[2] - right + width) * k + 3);
    }
    return room;
  }
  const membersOf = D.segments.map(() => 0);
  D.nodes.forEach((n) => { for (const s of n.segments) membersOf[s] += 1; });

  // ---- the details panel ----
  function linkButton(text, action) {
    const b = el('button', 'link', text);
    b.type = 'button';
    b.addEventListener('click', action);
    return b;
  }
  function section(parent, title) {
    parent.appendChild(el('h3', null, title));
  }
  function evidenceList(parent, items) {
    for (const e of items || []) {
      const s = sourceById.has(e.source) ? D.sources[sourceById.get(e.source)] : null;
      const p = el('p', 'muted');
      p.appendChild(document.createTextNode((s ? pick(s.title) : e.source) + (e.locator ? ', ' + e.locator : '')));
      const url = s && safeUrl(s.url);
      if (url) {
        p.appendChild(document.createTextNode(' '));
        const a = el('a', null, '↗');
        a.href = url; a.target = '_blank'; a.rel = 'noopener noreferrer';
        p.appendChild(a);
      }
      parent.appendChild(p);
      if (e.quote) parent.appendChild(el('p', 'quote', e.quote));
      if (e.note) parent.appendChild(el('p', null, e.note));
    }
  }
  function rangeBar(low, high) {
    const bar = el('span', 'range');
    const lo = Math.max(0, Math.min(100, low === null ? 0 : low));
    const hi = Math.max(lo, Math.min(100, high === null ? 100 : high));
    const certain = el('span', 'certain');
    certain.style.left = '0'; certain.style.width = lo + '%';
    const uncertain = el('span', 'uncertain');
    uncertain.style.left = lo + '%'; uncertain.style.width = (hi - lo) + '%';
    bar.appendChild(certain); bar.appendChild(uncertain);
    return bar;
  }
  function thesesOf(i) {
    return D.theses.map((_, t) => t).filter((t) => thesisCovers(t, i));
  }
  function showDetails() {
    const panel = $('details');
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    panel.setAttribute('aria-label', word('details'));
    if (state.lens >= 0 && state.sel < 0) return thesisDetails(panel, state.lens);
    if (state.sel < 0) {
      panel.appendChild(el('h2', null, pick(D.title) || word('map')));
      if (D.description) panel.appendChild(el('p', null, pick(D.description)));
      panel.appendChild(el('p', 'muted', word('details-empty')));
      return;
    }
    const i = state.sel;
    const n = D.nodes[i];
    panel.appendChild(el('h2', null, pick(n.name)));
    if (other(n.name)) panel.appendChild(el('p', 'muted', other(n.name)));
    panel.appendChild(el('p', 'muted', whereText(n)));
    const url = safeUrl(n.url);
    if (url) {
      const a = el('a', null, word('open-link') + ' ↗');
      a.href = url; a.target = '_blank'; a.rel = 'noopener noreferrer';
      panel.appendChild(a);
    }
    if (n.description) {
      section(panel, word('description'));
      panel.appendChild(el('p', null, n.description[0]));
      if (n.description[1]) panel.appendChild(el('p', null, n.description[1]));
    }
    if (n.tags) panel.appendChild(el('p', 'muted', word('tags') + ': ' + n.tags.join(', ')));
    traceSection(panel, i);
    linkSection(panel, word('links-in'), linksIn[i], 'from');
    linkSection(panel, word('links-out'), linksOut[i], 'to');
    thesisSection(panel, i);
    figureSection(panel, n.id);
    shareSection(panel, i);
    caseSection(panel, i);
  }
  function traceSection(panel, i) {
    const button = el('button', null, word('trace'));
    button.type = 'button';
    button.id = 'trace';
    button.setAttribute('aria-pressed', String(state.trace));
    button.addEventListener('click', () => { state.trace = !state.trace; update(); });
    panel.appendChild(el('p')).appendChild(button);
    if (!state.trace) return;
    if (!traced) { panel.appendChild(el('p', 'muted', word('no-chain'))); return; }
    for (const dir of ['up', 'down']) {
      section(panel, word(dir === 'up' ? 'upstream' : 'downstream'));
      const walk = traced[dir];
      if (!walk.length) panel.appendChild(el('p', 'muted', word('nothing-reached')));
      const list = el('ul', 'trace-' + dir);
      walk.forEach((r, at) => {
        const li = el('li');
        const name = endName(r.item) + (r.item < 0 ? ' ' + word('segment-mark') : '');
        if (r.item >= 0) li.appendChild(linkButton(name, () => select(r.item, true)));
        else li.appendChild(document.createTextNode(name));
        li.title = pathText(walk, at, dir);
        list.appendChild(li);
      });
      panel.appendChild(list);
    }
  }
  function linkSection(panel, title, links, farEnd) {
    if (!links.length) return;
    section(panel, title);
    const list = el('ul');
    for (const li of links) {
      const l = D.links[li];
      const item = el('li');
      const far = l[farEnd];
      item.appendChild(document.createTextNode(pick(D.kinds[l.kind].name) + ' '));
      if (far !== null && far >= 0) item.appendChild(linkButton(endName(far), () => select(far, true)));
      else item.appendChild(document.createTextNode(endName(far)));
      if (l.label) item.appendChild(el('span', 'muted', ' — ' + pick(l.label)));
      list.appendChild(item);
    }
    panel.appendChild(list);
  }
  function thesisSection(panel, i) {
    const theses = thesesOf(i);
    if (!theses.length) return;
    section(panel, word('theses-about'));
    for (const t of theses) thesisBlock(panel, t, false);
  }
  function thesisBlock(panel, t, full) {
    const th = D.theses[t];
    const head = el('p');
    head.appendChild(linkButton(pick(th.title), () => { state.lens = t; state.sel = -1; update(); }));
    head.appendChild(el('span', 'muted', ' · ' + pick(th.stance) + ' · ' + word('conviction') + ' ' + th.conviction + '/5 · ' + pick(th.status) + (th.horizon ? ' · ' + th.horizon : '') + (th.asOf ? ' · ' + th.asOf : '')));
    panel.appendChild(head);
    panel.appendChild(el('p', null, pick(th.claim)));
    if (full) { section(panel, word('evidence')); evidenceList(panel, th.evidence); }
  }
  function thesisDetails(panel, t) {
    thesisBlock(panel, t, true);
  }
  function figureSection(panel, id) {
    const figures = D.figures.filter((f) => f.subject === id || f.holders.includes(id));
    if (!figures.length) return;
    section(panel, word('figures'));
    for (const f of figures) {
      const p = el('p');
      p.appendChild(document.createTextNode(pick(f.metric) + ': ' + f.text + ' '));
      if (f.percent) p.appendChild(rangeBar(f.low, f.high));
      p.appendChild(el('span', 'muted', ' ' + pick(f.qualifier) + (f.asOf ? ' · ' + f.asOf : '') + (f.scope ? ' · ' + f.scope : '')));
      panel.appendChild(p);
      evidenceList(panel, [{ source: f.source, quote: f.quote, locator: f.locator }]);
    }
  }
  function shareSection(panel, i) {
    const held = [];
    D.markets.forEach((m, mi) => {
      for (const s of m.shares) if (s.holder === i) held.push([mi, m, s]);
    });
    if (!held.length) return;
    section(panel, word('shares'));
    const list = el('ul');
    for (const [mi, m, s] of held) {
      const li = el('li');
      li.appendChild(linkButton(pick(m.name), () => { state.market = mi; update(); }));
      li.appendChild(document.createTextNode(': ' + s.label[state.lang === 'zh' ? 1 : 0] + ' (' + word('rank-of', { rank: s.rank + 1, count: m.shareCount }) + ')'));
      list.appendChild(li);
    }
    panel.appendChild(list);
  }
  function caseSection(panel, i) {
    for (const c of D.caseStudies.filter((c) => c.subject === i)) {
      section(panel, word('case-study') + ': ' + pick(c.title));
      if (c.summary) panel.appendChild(el('p', null, pick(c.summary)));
      const part = (title, items, line) => {
        if (!items.length) return;
        panel.appendChild(el('p', 'muted', title));
        const list = el('ul');
        for (const item of items) list.appendChild(el('li', null, line(item)));
        panel.appendChild(list);
      };
      part(word('people'), c.people, (p) => pick(p.name) + (p.role ? ' — ' + pick(p.role) : '') + (p.summary ? ': ' + pick(p.summary) : ''));
      part(word('history'), c.phases, (p) => p.period + ' ' + pick(p.title) + (p.summary ? ': ' + pick(p.summary) : ''));
      part(word('outlook'), c.outlook, (s) => pick(s.title) + (s.summary ? ': ' + pick(s.summary) : ''));
    }
  }

  // ---- search ----
  let searchIndex = null;
  function buildIndex() {
    const about = D.nodes.map(() => []);
    D.theses.forEach((t) => {
      for (const id of t.about) if (nodeById.has(id)) about[nodeById.get(id)].push(t);
    });
    searchIndex = D.nodes.map((n, i) => {
      const lower = (s) => (s || '').toLowerCase();
      return {
        names: [lower(n.name[0]), lower(n.name[1])],
        id: lower(n.id),
        tags: (n.tags || []).map(lower),
        text: lower((n.description || []).join(' ')) + ' ' + about[i].map((t) => lower(t.title.concat(t.claim).join(' '))).join(' '),
      };
    });
  }
  function search(query) {
    if (!searchIndex) buildIndex();
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const scored = [];
    searchIndex.forEach((e, i) => {
      let score = 0;
      for (const name of e.names) {
        if (!name) continue;
        if (name === q) score = Math.max(score, 100);
        else if (name.startsWith(q)) score = Math.max(score, 80);
        else if (name.includes(q)) score = Math.max(score, 60);
      }
      if (e.id === q) score = Math.max(score, 90);
      else if (e.id.includes(q)) score = Math.max(score, 50);
      if (e.tags.some((t) => t.includes(q))) score = Math.max(score, 40);
      if (score === 0 && e.text.includes(q)) score = 20;
      if (score) scored.push([score, i]);
    });
    scored.sort((a, b) => b[0] - a[0] || pick(D.nodes[a[1]].name).localeCompare(pick(D.nodes[b[1]].name)));
    return scored.slice(0, 30).map((s) => s[1]);
  }
  function showResults() {
    const box = $('results');
    while (box.firstChild) box.removeChild(box.firstChild);
    const q = $('search').value;
    if (!q.trim()) { box.hidden = true; return; }
    const found = search(q);
    box.hidden = false;
    if (!found.length) { box.appendChild(el('p', 'muted', word('no-results'))); return; }
    found.forEach((i, j) => {
      const b = el('button', null);
      b.type = 'button';
      b.setAttribute('role', 'option');
      b.setAttribute('aria-selected', String(j === 0));
      b.appendChild(document.createTextNode(pick(D.nodes[i].name) + ' '));
      b.appendChild(el('span', 'muted', D.nodes[i].tier !== null ? pick(D.tiers[D.nodes[i].tier].name) : ''));
      b.addEventListener('click', () => { box.hidden = true; select(i, true); });
      box.appendChild(b);
    });
  }

  // ---- state: selection, hash, language ----
  function select(i, reveal) {
    state.sel = i;
    if (i < 0) state.trace = false;
    update();
    if (i >= 0 && reveal) revealNode(i);
  }
  function revealNode(i) {
    const r = D.nodes[i].rect;
    if (!r) return;
    const v = visibleRect();
    const readable = r[3] * cam.k >= 18;
    if (!readable) {
      const s = stageSize();
      const k = 28 / r[3];
      cam = { k: k, x: r[0] + r[2] / 2 - s.w / 2 / k, y: r[1] + r[3] / 2 - s.h / 2 / k };
      applyCamera();
    } else if (!(r[0] >= v.x && r[1] >= v.y && r[0] + r[2] <= v.x + v.w && r[1] + r[3] <= v.y + v.h)) {
      cam.x = r[0] + r[2] / 2 - v.w / 2;
      cam.y = r[1] + r[3] / 2 - v.h / 2;
      applyCamera();
    }
    drawCards();
    const g = cardEls.get(i);
    if (g && document.activeElement !== $('search')) g.focus({ preventScroll: true });
  }
  function update() {
    traced = state.trace && state.sel >= 0 ? traceFrom(state.sel) : null;
    paintCards();
    drawEdges();
    drawOverlay();
    showDetails();
    syncControls();
    writeHash();
  }
  function hashOf() {
    const p = new URLSearchParams();
    if (state.sel >= 0) p.set('sel', D.nodes[state.sel].id);
    if (state.trace) p.set('trace', '1');
    if (state.lens >= 0) p.set('lens', D.theses[state.lens].id);
    if (state.market >= 0) p.set('market', D.markets[state.market].id);
    if (state.tier >= 0) p.set('tier', D.tiers[state.tier].id);
    if (state.seg >= 0) p.set('seg', D.segments[state.seg].id);
    if (state.tag) p.set('tag', state.tag);
    if (state.hide.size) p.set('hide', Array.from(state.hide).sort().map((k) => D.kinds[k].key).join(','));
    if (state.lang !== D.lang) p.set('lang', state.lang);
    // A page as Fit left it says nothing of the view: opened from its link, it fits the
    // reader's screen (and keeps fitting when resized) rather than showing this one's rect.
    if (!fitted) {
      const v = visibleRect();
      p.set('v', [v.x, v.y, v.w, v.h].map((n) => Math.round(n)).join(','));
    }
    if (state.embed) p.set('embed', '1');
    return p.toString();
  }
  let applying = false;
  function writeHash() {
    if (applying) return;
    const hash = '#' + hashOf();
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }
  function readState(hash) {
    const p = new URLSearchParams(hash.replace(/^#/, ''));
    const find = (table, key) => (p.has(key) && table.has(p.get(key)) ? table.get(p.get(key)) : -1);
    state.sel = find(nodeById, 'sel');
    state.trace = p.get('trace') === '1' && state.sel >= 0;
    state.lens = find(thesisById, 'lens');
    state.market = find(marketById, 'market');
    state.tier = find(tierById, 'tier');
    state.seg = find(segById, 'seg');
    state.tag = p.get('tag') || '';
    state.hide = new Set((p.get('hide') || '').split(',').map((k) => D.kinds.findIndex((d) => d.key === k)).filter((k) => k >= 0));
    state.lang = p.get('lang') === 'zh' || p.get('lang') === 'en' ? p.get('lang') : D.lang;
    state.embed = p.has('embed');
    document.body.classList.toggle('embed', state.embed);
    const v = (p.get('v') || '').split(',').map(Number);
    return v.length === 4 && v.every(Number.isFinite) && v[2] > 0 && v[3] > 0 ? v : null;
  }
  function applyHash(hash) {
    applying = true;
    const shownIn = state.lang;
    const v = readState(hash);
    // Relabelling every control and title is costly on a big map: only when the language changes.
    if (!languageApplied || state.lang !== shownIn) applyLanguage();
    if (v) showRect(v[0], v[1], v[2], v[3]); else fit();
    applying = false;
    drawCards();
    update();
  }
  let languageApplied = false;
  function applyLanguage() {
    languageApplied = true;
    document.documentElement.lang = state.lang === 'zh' ? 'zh-Hans' : 'en';
    for (const e of document.querySelectorAll('[data-word]')) e.textContent = word(e.dataset.word);
    for (const e of document.querySelectorAll('[data-label]')) e.setAttribute('aria-label', word(e.dataset.label));
    for (const e of document.querySelectorAll('[data-placeholder]')) e.setAttribute('placeholder', word(e.dataset.placeholder));
    $('lang').textContent = word('lang-switch');
    $('title').textContent = pick(D.title);
    document.title = pick(D.title) || 'chainmap';
    svg.setAttribute('aria-label', pick(D.title) || word('map'));
    for (const [i, g] of cardEls) labelCard(g, i);
    fillControls();
    scaleLabels();
    legend();
  }
  function legend() {
    const p = $('legend');
    while (p.firstChild) p.removeChild(p.firstChild);
    D.kinds.forEach((k, i) => {
      if (state.hide.has(i)) return;
      const span = el('span', null);
      const swatch = el('i', 'swatch-k' + i);
      swatch.style.background = getComputedStyle(document.documentElement).getPropertyValue('--k' + i);
      span.appendChild(swatch);
      span.appendChild(document.createTextNode(pick(k.name)));
      p.appendChild(span);
    });
  }

  // ---- controls ----
  function options(select, first, items) {
    while (select.firstChild) select.removeChild(select.firstChild);
    const head = el('option', null, first);
    head.value = '-1';
    select.appendChild(head);
    for (const [value, text] of items) {
      const o = el('option', null, text);
      o.value = String(value);
      select.appendChild(o);
    }
  }
  const allTags = Array.from(new Set(D.nodes.flatMap((n) => n.tags || []))).sort();
  function fillControls() {
    options($('theses'), word('no-thesis'), D.theses.map((t, i) => [i, pick(t.title)]));
    options($('markets'), word('no-market'), D.markets.map((m, i) => [i, pick(m.name)]));
    options($('views'), word('no-view'), D.views.map((v, i) => [i, v.name]));
    $('views').hidden = D.views.length === 0;
    options($('filter-tier'), word('any'), D.tiers.map((t, i) => [i, pick(t.name)]));
    options($('filter-segment'), word('any'), D.segments.map((s, i) => [i, pick(s.name)]));
    options($('filter-tag'), word('any'), allTags.map((t) => [t, t]));
    const kinds = $('filter-kinds');
    for (const l of Array.from(kinds.querySelectorAll('label'))) l.remove();
    D.kinds.forEach((k, i) => {
      const label = el('label');
      const box = el('input');
      box.type = 'checkbox';
      box.checked = !state.hide.has(i);
      box.addEventListener('change', () => {
        if (box.checked) state.hide.delete(i); else state.hide.add(i);
        legend();
        update();
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(' ' + pick(k.name)));
      kinds.appendChild(label);
    });
    syncControls();
  }
  function syncControls() {
    $('theses').value = String(state.lens);
    $('markets').value = String(state.market);
    $('filter-tier').value = String(state.tier);
    $('filter-segment').value = String(state.seg);
    $('filter-tag').value = state.tag || '-1';
  }
  function bindControls() {
    $('theses').addEventListener('change', (e) => { state.lens = Number(e.target.value); update(); });
    $('markets').addEventListener('change', (e) => { state.market = Number(e.target.value); update(); });
    $('views').addEventListener('change', (e) => {
      const view = D.views[Number(e.target.value)];
      if (view) applyHash(view.state);
      e.target.value = '-1';
    });
    $('filter-tier').addEventListener('change', (e) => { state.tier = Number(e.target.value); update(); });
    $('filter-segment').addEventListener('change', (e) => { state.seg = Number(e.target.value); update(); });
    $('filter-tag').addEventListener('change', (e) => { state.tag = e.target.value === '-1' ? '' : e.target.value; update(); });
    $('lang').addEventListener('click', () => { state.lang = state.lang === 'zh' ? 'en' : 'zh'; applyLanguage(); update(); });
    $('fit').addEventListener('click', fit);
    const centre = (f) => { const s = stageSize(); zoomAt(f, s.w / 2, s.h / 2); };
    $('zoom-in').addEventListener('click', () => centre(1.25));
    $('zoom-out').addEventListener('click', () => centre(0.8));
    const box = $('search');
    box.addEventListener('input', showResults);
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        const found = search(box.value);
        if (found.length) { $('results').hidden = true; select(found[0], true); }
        e.preventDefault();
      } else if (e.key === 'Escape') {
        box.value = ''; showResults(); box.blur();
      }
    });
  }
  function bindMap() {
    const cards = $('cards');
    cards.addEventListener('click', (e) => {
      const g = e.target.closest('.card');
      if (g && !moved) select(Number(g.dataset.node), false);
    });
    cards.addEventListener('keydown', (e) => {
      const g = e.target.closest('.card');
      if (g && (e.key === 'Enter' || e.key === ' ')) { select(Number(g.dataset.node), false); e.preventDefault(); }
    });
    cards.addEventListener('pointerover', (e) => {
      const g = e.target.closest('.card');
      if (!g) return;
      hovered = Number(g.dataset.node);
      showTooltip(hovered, e);
      drawEdges();
    });
    cards.addEventListener('pointerout', (e) => {
      if (!e.target.closest('.card')) return;
      hovered = -1;
      $('tooltip').hidden = true;
      drawEdges();
    });
    const pointers = new Map();
    let moved = false;
    let pinch = 0;
    svg.addEventListener('pointerdown', (e) => {
      pointers.set(e.pointerId, [e.clientX, e.clientY]);
      moved = false;
      if (pointers.size === 2) pinch = spread(pointers);
    });
    svg.addEventListener('pointermove', (e) => {
      if (!pointers.has(e.pointerId)) return;
      const [px, py] = pointers.get(e.pointerId);
      pointers.set(e.pointerId, [e.clientX, e.clientY]);
      if (pointers.size === 2) {
        const now = spread(pointers);
        const r = svg.getBoundingClientRect();
        if (pinch > 0) zoomAt(now / pinch, e.clientX - r.left, e.clientY - r.top);
        pinch = now;
        return;
      }
      const dx = e.clientX - px, dy = e.clientY - py;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 3) { pointers.set(e.pointerId, [px, py]); return; }
      if (!moved) { svg.setPointerCapture(e.pointerId); svg.classList.add('dragging'); }
      moved = true;
      cam.x -= dx / cam.k;
      cam.y -= dy / cam.k;
      applyCamera();
    });
    const end = (e) => { pointers.delete(e.pointerId); svg.classList.remove('dragging'); if (pointers.size < 2) pinch = 0; };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
    svg.addEventListener('wheel', (e) => {
      // Embedded, the wheel scrolls the page around the map unless Ctrl (a pinch) is held.
      if (state.embed && !e.ctrlKey) return;
      e.preventDefault();
      const r = svg.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
  }
  function spread(pointers) {
    const [a, b] = Array.from(pointers.values());
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }
  function showTooltip(i, e) {
    const tip = $('tooltip');
    const n = D.nodes[i];
    while (tip.firstChild) tip.removeChild(tip.firstChild);
    tip.appendChild(el('strong', null, pick(n.name)));
    tip.appendChild(el('div', 'muted', (n.tier !== null ? pick(D.tiers[n.tier].name) : '') + ' · ' + pick(n.kindName)));
    if (n.description) {
      const d = pick(n.description);
      tip.appendChild(el('div', null, d.length > 220 ? d.slice(0, 220) + '…' : d));
    }
    if (traced) {
      for (const dir of ['up', 'down']) {
        const at = traced[dir].findIndex((r) => r.item === i);
        if (at >= 0) tip.appendChild(el('div', 'muted', pathText(traced[dir], at, dir)));
      }
    }
    const r = $('stage').getBoundingClientRect();
    tip.style.left = Math.min(r.width - 330, e.clientX - r.left + 14) + 'px';
    tip.style.top = (e.clientY - r.top + 14) + 'px';
    tip.hidden = false;
  }
  function bindKeys() {
    document.addEventListener('keydown', (e) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
      if ((e.key === '/' && !typing) || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f')) {
        e.preventDefault();
        $('search').focus();
        return;
      }
      if (typing) return;
      const s = stageSize();
      if (e.key === '+' || e.key === '=') zoomAt(1.25, s.w / 2, s.h / 2);
      else if (e.key === '-') zoomAt(0.8, s.w / 2, s.h / 2);
      else if (e.key === 'Escape') { state.sel = -1; state.trace = false; state.lens = -1; state.market = -1; update(); }
      else if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && state.sel >= 0) {
        // As in the window: ↑ walks to a customer (a link out: customers sit above their
        // suppliers on the map), ↓ to a supplier (a link in).
        const links = e.key === 'ArrowUp' ? linksOut[state.sel] : linksIn[state.sel];
        const far = links.map((l) => D.links[l][e.key === 'ArrowUp' ? 'to' : 'from']).find((x) => x !== null && x >= 0);
        if (far !== undefined) { e.preventDefault(); select(far, true); }
      }
    });
    window.addEventListener('hashchange', () => {
      if (location.hash !== '#' + hashOf()) applyHash(location.hash);
    });
    window.addEventListener('resize', () => (fitted ? fit() : applyCamera()));
  }

  // ---- start ----
  drawStatic();
  bindControls();
  bindMap();
  bindKeys();
  applyHash(location.hash.length > 1 ? location.hash : '#' + (D.start || ''));
  // For tests and for readers' tools: what the page lights, in the model's terms.
  window.chainmap = {
    trace: (i) => {
      const r = traceFrom(i);
      return r && { up: r.up.map((x) => x.item), down: r.down.map((x) => x.item) };
    },
    lensNodes: (t) => Array.from(lensNodes(t)).sort((a, b) => a - b),
    marketNodes: (m) => Array.from(marketNodes(m)).sort((a, b) => a - b),
    ready: true,
  };
  document.body.dataset.ready = '1';
})();
