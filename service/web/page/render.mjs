/* global document */
/**
 * Draws a verification result: the verdict, the badge as a person wants to see it, each verification step with
 * its status in words and a one-sentence explanation (the service's own message beside it), and the technical
 * facts. Built with DOM calls only (textContent, never HTML from strings): the page runs under Trusted Types.
 */
import { describeBadge, isInlineImage } from './badge.mjs';
import { formatDate, formatNumber, formatTime, has, language, t } from './i18n.mjs';

const STATUS_ICONS = { passed: '✓', failed: '✗', skipped: '–' };
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Fills `container` with the result. `result`: { report, source: {key, params}, imageUrl?, member? }.
 * Returns the verdict heading, to move the focus to.
 */
export function renderResult(container, result) {
  const { report } = result;
  const view = describeBadge(report.credential?.document, report.credential?.format);
  container.replaceChildren(
    verdict(report, result.source),
    actions(),
    ...(view ? [badgeCard(view, report, result), details(view, result)] : [notice(t('badge.noDocument'))]),
    steps(report),
    technical(report),
  );
  return container.querySelector('#verdict-title');
}

function verdict(report, source) {
  const ok = report.verified === true;
  const failed = report.steps.filter((step) => step.status === 'failed').map((step) => t(`step.${step.name}`));
  return el(
    'div',
    { class: `verdict ${ok ? 'verdict-ok' : 'verdict-failed'}` },
    el('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, ok ? '✓' : '✗'),
    el(
      'div',
      { class: 'verdict-body' },
      el('h2', { id: 'verdict-title', tabindex: '-1' }, t(ok ? 'verdict.ok' : 'verdict.failed')),
      el('p', { class: 'verdict-text' }, ok ? t('verdict.ok.text') : t('verdict.failed.text', { steps: failed.join(', ') || '—' })),
      el(
        'p',
        { class: 'verdict-meta' },
        t('verdict.checkedAt', { time: formatTime(report.checkedAt) }),
        source ? ` · ${t(source.key, source.params)}` : '',
      ),
    ),
  );
}

function actions() {
  return el(
    'div',
    { class: 'actions no-print' },
    el('button', { type: 'button', class: 'button', id: 'print-button' }, t('action.print')),
    el('button', { type: 'button', class: 'button', id: 'share-button', 'aria-controls': 'share-box', 'aria-expanded': 'false' }, t('action.share')),
    el('button', { type: 'button', class: 'button button-quiet', id: 'again-button' }, t('action.again')),
    el(
      'div',
      { class: 'share-box', id: 'share-box', hidden: '' },
      el('label', { for: 'share-link' }, t('share.label')),
      el(
        'div',
        { class: 'inline-field' },
        el('input', { id: 'share-link', type: 'url', readonly: '' }),
        el('button', { type: 'button', class: 'button', id: 'copy-button' }, t('action.copy')),
      ),
      el('p', { class: 'hint', id: 'share-size' }),
    ),
  );
}

function badgeCard(view, report, result) {
  const name = view.name || '—';
  const facts = [];
  const issuerName = view.issuer.name ?? view.issuer.id ?? '—';
  facts.push([t('badge.issuer'), view.issuer.url ? link(view.issuer.url, issuerName) : issuerName]);
  if (view.issuer.id) facts.push([t('badge.issuerDid'), el('code', {}, view.issuer.id)]);
  facts.push([t('badge.member'), memberText(report, result.member)]);
  if (report.coIssuance) facts.push([t('badge.coIssuedBy'), coIssuers(report.coIssuance)]);
  if (view.recipient) facts.push([t('badge.recipient'), view.recipient.hashed ? t('badge.recipient.hashed') : el('code', {}, view.recipient.id ?? '—')]);
  if (view.area) facts.push([t('badge.area'), view.area]);
  if (view.competence) facts.push([t('badge.competence'), view.competence]);
  if (view.result) facts.push([t('badge.result'), resultText(view.result)]);

  return el(
    'article',
    { class: 'badge-card', 'aria-labelledby': 'badge-name' },
    el('h2', { class: 'visually-hidden' }, t('badge.heading')),
    badgeFigure(view, result),
    el(
      'div',
      { class: 'badge-body' },
      report.verified ? null : el('p', { class: 'unverified-note', id: 'unverified-note' }, t('badge.unverified')),
      formerMemberNote(report),
      statusListNote(report),
      view.code ? el('p', { class: 'badge-code' }, el('span', { class: 'visually-hidden' }, `${t('badge.code')}: `), view.code) : null,
      el('h3', { class: 'badge-name', id: 'badge-name' }, name),
      view.level ? levelPill(view.level) : null,
      view.description ? el('p', { class: 'badge-description' }, view.description) : null,
      definitionList('facts', facts),
    ),
  );
}

function badgeFigure(view, result) {
  const name = view.name || '';
  if (result.imageUrl) {
    return el(
      'figure',
      { class: 'badge-figure' },
      el('img', { src: result.imageUrl, alt: t('badge.imageAlt', { name }), class: 'badge-image', id: 'badge-image' }),
      el('figcaption', {}, t('badge.imageBaked')),
    );
  }
  if (view.image && isInlineImage(view.image.url)) {
    return el(
      'figure',
      { class: 'badge-figure' },
      el('img', { src: view.image.url, alt: t('badge.imageAlt', { name }), class: 'badge-image', id: 'badge-image' }),
      view.image.caption ? el('figcaption', {}, view.image.caption) : null,
    );
  }
  return el(
    'figure',
    { class: 'badge-figure' },
    placeholderImage(view, name),
    view.image?.url ? el('figcaption', { class: 'remote-image' }, remoteImageText(view.image.url)) : null,
  );
}

/** The issuer's image lives on another site: named and linked, not loaded (nothing is fetched from outside). */
function remoteImageText(url) {
  const [before, after] = t('badge.imageRemote', { url: '\u0000' }).split('\u0000');
  return el('span', {}, before, /^https?:\/\//i.test(url) ? link(url, url) : url, after ?? '');
}

/** A badge drawn here, in the level's colour, when the credential's image is not inline. */
function placeholderImage(view, name) {
  const level = view.level?.name;
  const svg = svgEl('svg', {
    viewBox: '0 0 160 160',
    class: `badge-image placeholder level-${(level ?? 'none').toLowerCase()}`,
    role: 'img',
    'aria-label': t('badge.imageAlt', { name }),
    id: 'badge-image',
  });
  svg.append(
    svgEl('circle', { cx: '80', cy: '80', r: '76', class: 'placeholder-ring' }),
    svgEl('circle', { cx: '80', cy: '80', r: '64', class: 'placeholder-disc' }),
    svgEl('path', { d: 'M80 38l9 19 21 3-15 15 4 21-19-10-19 10 4-21-15-15 21-3z', class: 'placeholder-star' }),
  );
  const label = svgEl('text', { x: '80', y: '124', 'text-anchor': 'middle', class: 'placeholder-text' });
  label.textContent = level ? levelName(level) : (view.code ?? '').slice(0, 12);
  svg.append(label);
  return svg;
}

function levelPill(level) {
  const name = levelName(level.name);
  const text =
    level.scale === 'soft' && level.level
      ? t('badge.level.soft', { name, level: level.level, rank: t(`badge.rank.${level.level}`) })
      : level.scale === 'technical' && level.level
        ? t('badge.level.technical', { name, level: level.level })
        : t('badge.level.other', { name });
  return el(
    'p',
    { class: `level level-${String(level.name).toLowerCase()}`, id: 'badge-level' },
    el('span', { class: 'level-label' }, t('badge.level')),
    el('span', { class: 'level-value' }, text),
  );
}

function levelName(name) {
  return has(`levelName.${name}`) ? t(`levelName.${name}`) : name;
}

function resultText(result) {
  const key = result.scale === 'soft' ? 'badge.result.soft' : result.scale === 'technical' ? 'badge.result.technical' : 'badge.result.other';
  return t(key, { value: result.value, max: result.max ?? '?' });
}

/** The registry's policy, in one line: what a suspended or removed issuer issued while active stays valid unless revoked. */
function formerMemberNote(report) {
  const issuer = report.issuer;
  if (!issuer?.statusSince) return null;
  const status = has(`memberStatus.${issuer.statusNow}`) ? t(`memberStatus.${issuer.statusNow}`) : issuer.statusNow;
  return el('p', { class: 'former-member-note', id: 'former-member-note' }, t('badge.formerMember', { id: issuer.memberId, status, since: formatDate(issuer.statusSince) }));
}

/** What the credential's W3C status list says beside the chain (the chain decides the revocation step). */
function statusListNote(report) {
  const finding = report.statusList;
  if (!finding?.outcome || finding.outcome === 'unchecked') return null;
  const key = `badge.statusList.${finding.outcome}`;
  const text = has(key) ? t(key, { block: finding.builtFromBlock ?? '?' }) : finding.outcome;
  const detail = finding.outcome === 'agrees' ? '' : ` ${finding.message ?? ''}`;
  return el('p', { class: finding.outcome === 'agrees' ? 'status-list-note' : 'status-list-note status-list-warning', id: 'status-list-note', 'data-outcome': finding.outcome }, `${text}${detail}`);
}

function memberText(report, member) {
  if (!report.issuer) return t('badge.member.none');
  const role = has(`role.${report.issuer.role}`) ? t(`role.${report.issuer.role}`) : report.issuer.role;
  const status = report.issuer.statusNow;
  return el(
    'span',
    {},
    t('badge.member.value', { id: report.issuer.memberId, role }),
    status ? ` (${t('badge.member.status', { status: has(`memberStatus.${status}`) ? t(`memberStatus.${status}`) : status })})` : '',
    member?.member?.did && member.member.did !== report.credential?.issuerDid ? el('code', {}, ` ${member.member.did}`) : '',
  );
}

/** Each signer of a co-issued badge, the issuer first, with its role at the anchor time and whether it stands. */
function coIssuers(coIssuance) {
  return el(
    'ul',
    { class: 'co-issuers', id: 'co-issuers' },
    ...coIssuance.signers.map((signer) => {
      const role = has(`role.${signer.role}`) ? t(`role.${signer.role}`) : signer.role;
      const member = signer.memberId ? t('badge.member.value', { id: signer.memberId, role }) : t('badge.member.none');
      return el('li', { 'data-did': signer.memberDid, 'data-stands': signer.problem ? 'no' : 'yes' }, el('code', {}, signer.memberDid), ` (${member})`, signer.problem ? ` ${signer.problem.message}` : '');
    }),
  );
}

function details(view, result) {
  const dates = [
    [t('badge.issued'), view.dates.issued && formatDate(view.dates.issued)],
    [t('badge.awarded'), view.dates.awarded && view.dates.awarded !== view.dates.issued ? formatDate(view.dates.awarded) : undefined],
    [t('badge.exam'), view.dates.exam && formatDate(view.dates.exam)],
    [t('badge.validUntil'), view.dates.validUntil ? formatDate(view.dates.validUntil) : t('badge.validUntil.none')],
  ].filter(([, value]) => value);

  const cards = [];
  const badgeClass = result.report?.badgeClass;
  if (badgeClass) cards.push(card('badge-class', t('badgeClass.heading'), badgeClassFacts(badgeClass)));
  if (view.alignments.length > 0) cards.push(card('alignment', t('badge.alignment'), alignmentTable(view.alignments)));
  cards.push(card('dates', t('badge.dates'), definitionList('dates', dates)));
  if (view.criteria) cards.push(card('criteria', t('badge.criteria'), el('p', {}, view.criteria)));
  cards.push(card('evidence', t('badge.evidence'), evidenceList(view.evidence)));
  cards.push(card('endorsements', t('badge.endorsements'), ...endorsements(view, result.member)));
  return el('div', { class: 'details-grid' }, ...cards);
}

/** The network badge class the credential cites, as the report gives it: its name, alignment, level, publisher, adopters. */
function badgeClassFacts(badgeClass) {
  const name = badgeClass.name ? (badgeClass.name[language()] ?? badgeClass.name.en) : t('badgeClass.unknownName');
  const level = badgeClass.level ? `${badgeClass.level}${badgeClass.score !== undefined ? ` (${t('badgeClass.score', { score: badgeClass.score })})` : ''}` : '—';
  const others = badgeClass.adoptedBy?.length ? badgeClass.adoptedBy.map((member) => member.did).join(', ') : t('badgeClass.adoptedBy.none');
  const rows = [
    [t('badgeClass.name'), name],
    [t('badgeClass.id'), el('code', {}, badgeClass.id)],
    [t('badgeClass.level'), level],
    [t('badgeClass.publisher'), badgeClass.publisher ? el('code', {}, badgeClass.publisher.did) : '—'],
    [t('badgeClass.issuerAdopts'), badgeClass.issuerAdopts ? t('badgeClass.yes') : t('badgeClass.no')],
    [t('badgeClass.adoptedBy'), others],
  ];
  const alignments = (badgeClass.alignments ?? []).map((item) => ({
    framework: item.framework,
    code: item.targetCode,
    name: item.targetName,
    url: item.targetUrl,
  }));
  return el('div', { id: 'badge-class-facts' }, definitionList('badge-class', rows), alignments.length ? alignmentTable(alignments) : null);
}

function alignmentTable(alignments) {
  return el(
    'table',
    { class: 'alignment-table' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, t('badge.alignment.framework')),
        el('th', { scope: 'col' }, t('badge.alignment.code')),
        el('th', { scope: 'col' }, t('badge.alignment.name')),
      ),
    ),
    el(
      'tbody',
      {},
      ...alignments.map((item) =>
        el(
          'tr',
          {},
          el('td', {}, item.framework ?? '—'),
          el('td', {}, item.code ? el('code', {}, item.code) : '—'),
          el('td', {}, item.url ? link(item.url, item.name ?? item.url) : (item.name ?? '—'), item.description ? el('span', { class: 'hint block' }, item.description) : null),
        ),
      ),
    ),
  );
}

function evidenceList(evidence) {
  if (evidence.length === 0) return el('p', { class: 'hint' }, t('badge.evidence.none'));
  return el(
    'ul',
    { class: 'plain-list' },
    ...evidence.map((item) =>
      el(
        'li',
        {},
        el('strong', {}, item.url ? link(item.url, item.name ?? item.url) : (item.name ?? '—')),
        item.description ? el('span', { class: 'block' }, item.description) : null,
        item.narrative ? el('span', { class: 'block' }, item.narrative) : null,
        item.genre ? el('span', { class: 'hint block' }, t('badge.evidence.genre', { genre: item.genre })) : null,
      ),
    ),
  );
}

function endorsements(view, member) {
  const inBadge = view.endorsements.map((item) =>
    el(
      'li',
      {},
      el('strong', {}, item.name ?? t('badge.endorsement.by', { name: item.issuerName ?? item.issuerId ?? '—' })),
      item.name ? el('span', { class: 'block' }, t('badge.endorsement.by', { name: item.issuerName ?? item.issuerId ?? '—' })) : null,
      item.comment ? el('span', { class: 'block quote' }, item.comment) : null,
      item.date ? el('span', { class: 'hint block' }, formatDate(item.date)) : null,
    ),
  );
  const received = (member?.member?.endorsements?.received ?? []).filter((item) => item.kind === 'member');
  const fromNetwork = received.map((item) =>
    el(
      'li',
      {},
      el('span', { class: 'block' }, t('badge.endorsement.member', { id: item.endorser, did: member.dids.get(item.endorser) ?? '?', since: formatDate(item.since) })),
      item.claimURI ? el('span', { class: 'hint block' }, claimText(item.claimURI)) : null,
    ),
  );
  return [
    el('h4', {}, t('badge.endorsements.inBadge')),
    inBadge.length ? el('ul', { class: 'plain-list', id: 'endorsements-badge' }, ...inBadge) : el('p', { class: 'hint' }, t('badge.endorsements.none')),
    el('h4', {}, t('badge.endorsements.network')),
    fromNetwork.length ? el('ul', { class: 'plain-list', id: 'endorsements-network' }, ...fromNetwork) : el('p', { class: 'hint' }, t('badge.endorsements.none')),
  ];
}

function claimText(uri) {
  const [before, after] = t('badge.endorsement.claim', { uri: '\u0000' }).split('\u0000');
  return el('span', {}, before, /^https?:\/\//i.test(uri) ? link(uri, uri) : uri, after ?? '');
}

function steps(report) {
  return el(
    'section',
    { class: 'card steps', 'aria-labelledby': 'steps-title' },
    el('h3', { id: 'steps-title' }, t('steps.heading')),
    el('p', { class: 'hint' }, t('steps.intro')),
    el(
      'ol',
      { class: 'step-list', id: 'steps' },
      ...report.steps.map((step) =>
        el(
          'li',
          { class: `step step-${step.status}`, 'data-step': step.name, 'data-status': step.status },
          el('span', { class: 'step-icon', 'aria-hidden': 'true' }, STATUS_ICONS[step.status] ?? '?'),
          el(
            'div',
            { class: 'step-body' },
            el(
              'p',
              { class: 'step-head' },
              el('strong', { class: 'step-title' }, t(`step.${step.name}`)),
              el('span', { class: 'step-status' }, t(`status.${step.status}`)),
            ),
            el('p', { class: 'step-explain' }, t(`explain.${step.name}.${step.status}`)),
            el('p', { class: 'step-detail' }, el('span', { class: 'detail-label' }, `${t('steps.detail')}: `), el('span', { class: 'detail-text' }, step.message)),
          ),
        ),
      ),
    ),
  );
}

function technical(report) {
  const facts = [];
  const { credential, anchor, revocation } = report;
  if (credential) {
    facts.push([t('tech.format'), credential.format]);
    facts.push([t('tech.digest'), el('code', {}, credential.digest)]);
    facts.push([t('tech.key'), el('code', {}, credential.keyHash)]);
    facts.push([t('tech.method'), el('code', {}, credential.verificationMethod)]);
  }
  const receiptSource = report.baked?.receipt !== undefined ? 'image' : (report.receiptSource ?? 'none');
  facts.push([t('tech.receiptSource'), t(`tech.receiptSource.${receiptSource}`)]);
  if (anchor) {
    facts.push([t('tech.root'), el('code', {}, anchor.root)]);
    facts.push([t('tech.chain'), el('code', {}, anchor.chain)]);
    facts.push([t('tech.registry'), el('code', {}, anchor.registry)]);
    if (anchor.transactionHash) facts.push([t('tech.transaction'), el('code', {}, anchor.transactionHash)]);
    if (anchor.blockNumber !== undefined) facts.push([t('tech.block'), formatNumber(anchor.blockNumber)]);
    if (anchor.anchoredAt) facts.push([t('tech.anchoredAt'), formatTime(anchor.anchoredAt)]);
    if (anchor.confirmations !== undefined) facts.push([t('tech.confirmations'), formatNumber(anchor.confirmations)]);
  }
  if (revocation) {
    facts.push([t('tech.revokedAt'), formatTime(revocation.revokedAt)]);
    facts.push([t('tech.revocationReason'), revocation.reasonText]);
  }
  return card('technical', t('tech.heading'), definitionList('technical-facts', facts));
}

function notice(text) {
  return el('p', { class: 'card notice' }, text);
}

function card(id, title, ...content) {
  return el('section', { class: `card card-${id}`, 'aria-labelledby': `${id}-title` }, el('h3', { id: `${id}-title` }, title), ...content);
}

function definitionList(className, rows) {
  return el('dl', { class: className }, ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

/** A link to an address found in the credential: http(s) only, opened apart, telling the other site nothing. */
function link(href, text) {
  if (!/^https?:\/\//i.test(href)) return text;
  return el('a', { href, rel: 'noopener noreferrer nofollow', target: '_blank' }, text);
}

/** A DOM element with attributes and children (strings become text nodes; null and undefined are skipped). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === '') continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return element;
}

function svgEl(tag, attributes) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}
