/* global document, navigator, localStorage */
/**
 * The page's words in Italian and English. Every label, the title, status and one-sentence explanation of each
 * verification step in each status; the service's own technical message is shown beside them, as it is.
 * The language: the one remembered (localStorage), else the browser's first Italian or English, else English.
 */

export const LANGUAGES = ['it', 'en'];
const STORAGE_KEY = 'badge-verifier.language';

const en = {
  'page.title': 'Badge verifier',
  'brand': 'Badge notary',
  'brand.tagline': 'Open Badges of the confederated network, notarised on the blockchain',
  'skip': 'Skip to the verifier',
  'language.label': 'Language',
  'input.title': 'Verify a badge',
  'input.intro':
    'Check that a badge is authentic: who issued it, that nothing in it was changed, that the issuer belongs to the network, and that it is recorded on the blockchain and not revoked.',
  'drop.title': 'Drop a badge file here, or choose one',
  'drop.hint':
    'A credential (JSON or JWT) with its receipt, or a badge image with the badge baked in (PNG or SVG). You may pick a credential and its receipt file together.',
  'drop.button': 'Choose a file',
  'drop.active': 'Release to verify',
  'file.label': 'Badge file',
  'paste.label': 'Or paste a credential (JSON or JWT), with its receipt',
  'paste.hint': 'JSON: the credential itself, or {"credential": …, "receipt": …}. A share link works here too.',
  'paste.button': 'Verify',
  'link.label': 'Or open a share link',
  'link.button': 'Open',
  'status.verifying': 'Verifying…',
  'status.done.ok': 'Verification finished: the badge is verified.',
  'status.done.failed': 'Verification finished: the badge is not verified.',
  'error.title': 'The badge could not be verified',
  'error.empty': 'There is nothing to verify: choose a file or paste a credential.',
  'error.notJson': 'The text starts like JSON but is not valid JSON.',
  'error.unknownText': 'This is neither a JSON credential, a JWT, a receipt nor a share link.',
  'error.onlyReceipt': 'This is a receipt alone: add the credential it belongs to.',
  'error.tooMany': 'Choose one badge (with its receipt, if it travels apart), not several.',
  'error.imageAndReceipt': 'A badge image carries its own receipt: choose the image alone.',
  'error.badFile': 'The file "{name}" could not be read.',
  'error.badShare': 'The share link is damaged or incomplete.',
  'error.service': 'The service did not accept the input ({status}): {message}',
  'error.network': 'The service could not be reached: {message}',
  'verdict.ok': 'Verified',
  'verdict.failed': 'Not verified',
  'verdict.ok.text': 'Every check passed: this badge is authentic, unchanged, recorded on the blockchain and not revoked.',
  'verdict.failed.text': 'Failed: {steps}. Do not rely on this badge.',
  'verdict.checkedAt': 'Checked on {time}',
  'verdict.source.file': 'From the file {name}',
  'verdict.source.image': 'From the badge image {name}',
  'verdict.source.paste': 'From pasted text',
  'verdict.source.share': 'From a share link',
  'action.print': 'Print',
  'action.share': 'Share link',
  'action.copy': 'Copy',
  'action.copied': 'Copied',
  'action.again': 'Verify another badge',
  'share.label': 'Share link: whoever opens it verifies the badge again',
  'share.size': '{bytes} characters; the badge travels in the part after #, which browsers never send to a server.',
  'badge.heading': 'The badge',
  'badge.code': 'Badge code',
  'badge.unverified': 'This is what the file claims. It is not verified: see the failed steps below.',
  'badge.imageAlt': 'Badge image: {name}',
  'badge.imageBaked': 'The badge image, with the badge baked in',
  'badge.imageRemote': 'The issuer’s image is at {url} (not loaded, so that opening this page tells no one).',
  'badge.level': 'Level',
  'badge.level.soft': '{name} — soft skills, level {level} of 3 ({rank})',
  'badge.level.technical': '{name} — technical skills, level {level} of 3',
  'badge.level.other': '{name}',
  'badge.rank.1': 'basic',
  'badge.rank.2': 'intermediate',
  'badge.rank.3': 'advanced',
  'badge.result': 'Result',
  'badge.result.soft': '{value} of {max} LifeComp descriptors observed',
  'badge.result.technical': 'exam score {value} out of {max}',
  'badge.result.other': '{value} (of {max})',
  'badge.description': 'Description',
  'badge.issuer': 'Issuer',
  'badge.issuerDid': 'Issuer’s identifier (DID)',
  'badge.member': 'Network member',
  'badge.member.value': 'member no. {id}, {role}',
  'badge.member.status': 'status now: {status}',
  'badge.member.none': 'not a member of the network',
  'badge.coIssuedBy': 'Co-issued by',
  'badge.formerMember': 'The issuer, member no. {id}, is {status} since {since}: what it issued while active stays valid unless revoked.',
  'badge.statusList.agrees': 'Its W3C status list agrees with the blockchain (the list mirrors block {block}).',
  'badge.statusList.disagrees': 'Its W3C status list disagrees with the blockchain, which decides:',
  'badge.statusList.stale': 'Its W3C status list is out of date; the blockchain decides:',
  'badge.statusList.invalid': 'Its W3C status list cannot be trusted; the blockchain decides:',
  'badge.statusList.unavailable': 'Its W3C status list could not be read; the blockchain decides:',
  'badge.recipient': 'Awarded to',
  'badge.recipient.hashed': 'a person identified by their e-mail address (kept as a salted hash)',
  'badge.area': 'Area',
  'badge.competence': 'Competence',
  'badge.dates': 'Dates',
  'badge.issued': 'Issued on',
  'badge.awarded': 'Awarded on',
  'badge.exam': 'Exam date',
  'badge.validFrom': 'Valid from',
  'badge.validUntil': 'Valid until',
  'badge.validUntil.none': 'no end date',
  'badge.alignment': 'Competence framework',
  'badgeClass.heading': 'Network badge class',
  'badgeClass.name': 'Class',
  'badgeClass.unknownName': 'Its document could not be read',
  'badgeClass.id': 'Class identifier',
  'badgeClass.level': 'Level',
  'badgeClass.score': 'score {score}',
  'badgeClass.publisher': 'Published by',
  'badgeClass.issuerAdopts': 'The issuer adopts it',
  'badgeClass.adoptedBy': 'Also adopted by',
  'badgeClass.adoptedBy.none': 'No other member',
  'badgeClass.yes': 'Yes',
  'badgeClass.no': 'No',
  'badge.alignment.framework': 'Framework',
  'badge.alignment.code': 'Code',
  'badge.alignment.name': 'Descriptor',
  'badge.criteria': 'Criteria for earning it',
  'badge.evidence': 'Evidence',
  'badge.evidence.none': 'No evidence is attached.',
  'badge.evidence.genre': 'Kind: {genre}',
  'badge.endorsements': 'Endorsements',
  'badge.endorsements.inBadge': 'In the badge (shown as written; their own signatures are not checked here)',
  'badge.endorsements.network': 'The issuer, endorsed by network members (from the registry)',
  'badge.endorsements.none': 'None.',
  'badge.endorsement.by': 'by {name}',
  'badge.endorsement.member': 'Member no. {id} ({did}), since {since}',
  'badge.endorsement.claim': 'Statement: {uri}',
  'badge.noDocument': 'The credential could not be read, so there is nothing to show about the badge.',
  'steps.heading': 'Verification steps',
  'steps.intro': 'Each check, in order. A check that could not run is marked as not run, with the reason.',
  'steps.detail': 'Service’s message',
  'status.passed': 'Passed',
  'status.failed': 'Failed',
  'status.skipped': 'Not run',
  'step.format': 'Format and standard',
  'step.signature': 'Issuer’s signature',
  'step.issuer-key': 'Issuer’s key in the registry',
  'step.issuer-member': 'Issuer is a network member',
  'step.anchor': 'Recorded on the blockchain',
  'step.revocation': 'Not revoked',
  'step.validity': 'Validity dates',
  'step.badge-class': 'Network badge class and level',
  'explain.format.passed': 'The file is a well-formed Open Badge and follows the rules of its standard.',
  'explain.format.failed': 'The file could not be read as an Open Badge, or it breaks the rules of its standard.',
  'explain.format.skipped': 'The format was not checked.',
  'explain.signature.passed': 'The issuer’s digital signature matches the content: nothing was changed after signing.',
  'explain.signature.failed': 'The signature does not match the content: the badge was changed after it was signed, or someone else signed it.',
  'explain.signature.skipped': 'The signature could not be checked, because the file could not be read.',
  'explain.issuer-key.passed': 'The signing key is registered to the issuing organisation in the network’s registry and was valid when the badge was notarised.',
  'explain.issuer-key.failed': 'The signing key is not registered to the issuing organisation, or was not valid when the badge was notarised.',
  'explain.issuer-key.skipped': 'Whether the key was valid at notarisation time could not be checked, because there is no record on the blockchain to compare with.',
  'explain.issuer-member.passed': 'The issuer was an active member of the network, entitled to issue badges, when the badge was notarised.',
  'explain.issuer-member.failed': 'The issuer is not a member of the network, is not entitled to issue badges, or was not active at that time.',
  'explain.issuer-member.skipped': 'The issuer’s membership at notarisation time could not be checked.',
  'explain.anchor.passed': 'The badge’s fingerprint leads to a record on the blockchain: the badge existed, exactly as it is, at that time.',
  'explain.anchor.failed': 'The badge’s fingerprint could not be tied to a record on the blockchain: its receipt is missing, damaged or for another badge.',
  'explain.anchor.skipped': 'The record on the blockchain was not checked.',
  'explain.revocation.passed': 'The issuer has not revoked this badge.',
  'explain.revocation.failed': 'The issuer has revoked this badge.',
  'explain.revocation.skipped': 'Whether the badge was revoked could not be checked.',
  'explain.validity.passed': 'Today is within the badge’s validity dates.',
  'explain.validity.failed': 'The badge has expired, or is not valid yet.',
  'explain.validity.skipped': 'The validity dates were not checked.',
  'explain.badge-class.passed': 'The badge follows a badge class the network published: its level is the one the class gives its score, and the organisations the class requires signed it.',
  'explain.badge-class.failed': 'The badge names a badge class the network never published or no longer stands behind, claims a level its score does not earn, or lacks a signature the class requires.',
  'explain.badge-class.skipped': 'The badge class could not be read, so its level could not be checked.',
  'tech.heading': 'Technical details',
  'tech.format': 'Credential format',
  'tech.digest': 'Credential fingerprint (digest)',
  'tech.key': 'Signing key (hash)',
  'tech.method': 'Verification method',
  'tech.receiptSource': 'Receipt',
  'tech.receiptSource.request': 'given with the credential',
  'tech.receiptSource.credential': 'carried inside the credential',
  'tech.receiptSource.store': 'found in this service',
  'tech.receiptSource.none': 'none',
  'tech.receiptSource.image': 'baked into the image, beside the credential',
  'tech.root': 'Merkle root',
  'tech.chain': 'Chain',
  'tech.registry': 'Registry',
  'tech.transaction': 'Transaction',
  'tech.block': 'Block',
  'tech.anchoredAt': 'Anchored on',
  'tech.confirmations': 'Confirmations',
  'tech.revokedAt': 'Revoked on',
  'tech.revocationReason': 'Reason for revocation',
  'role.issuing-point': 'validation and issuing point',
  'role.validation-point': 'validation point',
  'role.information-point': 'information point',
  'memberStatus.active': 'active',
  'memberStatus.pending': 'pending',
  'memberStatus.suspended': 'suspended',
  'memberStatus.removed': 'removed',
  'levelName.Copper': 'Copper',
  'levelName.Silver': 'Silver',
  'levelName.Gold': 'Gold',
  'levelName.Platinum': 'Platinum',
  'footer.text': 'Verification runs on this service against the network’s registry on the blockchain. Nothing you check here is stored.',
  'footer.api': 'API',
};

const it = {
  'page.title': 'Verifica dei badge',
  'brand': 'Notaio dei badge',
  'brand.tagline': 'Open Badge della rete confederata, notarizzati su blockchain',
  'skip': 'Vai alla verifica',
  'language.label': 'Lingua',
  'input.title': 'Verifica un badge',
  'input.intro':
    'Controlla che un badge sia autentico: chi lo ha rilasciato, che nulla sia stato modificato, che l’emittente faccia parte della rete e che il badge sia registrato sulla blockchain e non revocato.',
  'drop.title': 'Trascina qui il file di un badge, oppure sceglilo',
  'drop.hint':
    'Una credenziale (JSON o JWT) con la sua ricevuta, oppure l’immagine di un badge con il badge incorporato (PNG o SVG). Puoi scegliere insieme la credenziale e il file della ricevuta.',
  'drop.button': 'Scegli un file',
  'drop.active': 'Rilascia per verificare',
  'file.label': 'File del badge',
  'paste.label': 'Oppure incolla una credenziale (JSON o JWT), con la sua ricevuta',
  'paste.hint': 'JSON: la credenziale stessa, oppure {"credential": …, "receipt": …}. Funziona anche un link di condivisione.',
  'paste.button': 'Verifica',
  'link.label': 'Oppure apri un link di condivisione',
  'link.button': 'Apri',
  'status.verifying': 'Verifica in corso…',
  'status.done.ok': 'Verifica conclusa: il badge è verificato.',
  'status.done.failed': 'Verifica conclusa: il badge non è verificato.',
  'error.title': 'Non è stato possibile verificare il badge',
  'error.empty': 'Non c’è niente da verificare: scegli un file o incolla una credenziale.',
  'error.notJson': 'Il testo sembra JSON ma non è JSON valido.',
  'error.unknownText': 'Non è una credenziale JSON, un JWT, una ricevuta né un link di condivisione.',
  'error.onlyReceipt': 'Questa è solo una ricevuta: aggiungi la credenziale a cui appartiene.',
  'error.tooMany': 'Scegli un solo badge (con la sua ricevuta, se viaggia a parte), non diversi.',
  'error.imageAndReceipt': 'L’immagine di un badge contiene già la sua ricevuta: scegli solo l’immagine.',
  'error.badFile': 'Non è stato possibile leggere il file "{name}".',
  'error.badShare': 'Il link di condivisione è danneggiato o incompleto.',
  'error.service': 'Il servizio non ha accettato i dati ({status}): {message}',
  'error.network': 'Il servizio non è raggiungibile: {message}',
  'verdict.ok': 'Verificato',
  'verdict.failed': 'Non verificato',
  'verdict.ok.text': 'Tutti i controlli sono superati: il badge è autentico, integro, registrato sulla blockchain e non revocato.',
  'verdict.failed.text': 'Non superati: {steps}. Non fare affidamento su questo badge.',
  'verdict.checkedAt': 'Verificato il {time}',
  'verdict.source.file': 'Dal file {name}',
  'verdict.source.image': 'Dall’immagine del badge {name}',
  'verdict.source.paste': 'Da testo incollato',
  'verdict.source.share': 'Da un link di condivisione',
  'action.print': 'Stampa',
  'action.share': 'Link di condivisione',
  'action.copy': 'Copia',
  'action.copied': 'Copiato',
  'action.again': 'Verifica un altro badge',
  'share.label': 'Link di condivisione: chi lo apre verifica di nuovo il badge',
  'share.size': '{bytes} caratteri; il badge viaggia nella parte dopo #, che i browser non inviano mai a un server.',
  'badge.heading': 'Il badge',
  'badge.code': 'Codice del badge',
  'badge.unverified': 'Questo è ciò che il file dichiara. Non è verificato: vedi i passi non superati qui sotto.',
  'badge.imageAlt': 'Immagine del badge: {name}',
  'badge.imageBaked': 'L’immagine del badge, con il badge incorporato',
  'badge.imageRemote': 'L’immagine dell’emittente è in {url} (non caricata, perché aprire questa pagina non lo comunichi a nessuno).',
  'badge.level': 'Livello',
  'badge.level.soft': '{name} — competenze trasversali, livello {level} di 3 ({rank})',
  'badge.level.technical': '{name} — competenze tecniche, livello {level} di 3',
  'badge.level.other': '{name}',
  'badge.rank.1': 'base',
  'badge.rank.2': 'intermedio',
  'badge.rank.3': 'avanzato',
  'badge.result': 'Risultato',
  'badge.result.soft': '{value} descrittori LifeComp osservati su {max}',
  'badge.result.technical': 'punteggio d’esame {value} su {max}',
  'badge.result.other': '{value} (su {max})',
  'badge.description': 'Descrizione',
  'badge.issuer': 'Emittente',
  'badge.issuerDid': 'Identificativo dell’emittente (DID)',
  'badge.member': 'Membro della rete',
  'badge.member.value': 'membro n. {id}, {role}',
  'badge.member.status': 'stato attuale: {status}',
  'badge.member.none': 'non è membro della rete',
  'badge.coIssuedBy': 'Rilasciato congiuntamente da',
  'badge.formerMember': 'L’emittente, membro n. {id}, è {status} dal {since}: ciò che ha emesso da attivo resta valido salvo revoca.',
  'badge.statusList.agrees': 'La sua lista di stato W3C concorda con la blockchain (la lista rispecchia il blocco {block}).',
  'badge.statusList.disagrees': 'La sua lista di stato W3C non concorda con la blockchain, che decide:',
  'badge.statusList.stale': 'La sua lista di stato W3C non è aggiornata; decide la blockchain:',
  'badge.statusList.invalid': 'La sua lista di stato W3C non è affidabile; decide la blockchain:',
  'badge.statusList.unavailable': 'Non è stato possibile leggere la sua lista di stato W3C; decide la blockchain:',
  'badge.recipient': 'Assegnato a',
  'badge.recipient.hashed': 'una persona identificata dal suo indirizzo e-mail (conservato come hash con sale)',
  'badge.area': 'Area',
  'badge.competence': 'Competenza',
  'badge.dates': 'Date',
  'badge.issued': 'Rilasciato il',
  'badge.awarded': 'Assegnato il',
  'badge.exam': 'Data dell’esame',
  'badge.validFrom': 'Valido dal',
  'badge.validUntil': 'Valido fino al',
  'badge.validUntil.none': 'senza scadenza',
  'badge.alignment': 'Quadro di riferimento delle competenze',
  'badgeClass.heading': 'Classe di badge della rete',
  'badgeClass.name': 'Classe',
  'badgeClass.unknownName': 'Non è stato possibile leggerne il documento',
  'badgeClass.id': 'Identificativo della classe',
  'badgeClass.level': 'Livello',
  'badgeClass.score': 'punteggio {score}',
  'badgeClass.publisher': 'Pubblicata da',
  'badgeClass.issuerAdopts': 'L’emittente la adotta',
  'badgeClass.adoptedBy': 'Adottata anche da',
  'badgeClass.adoptedBy.none': 'Nessun altro membro',
  'badgeClass.yes': 'Sì',
  'badgeClass.no': 'No',
  'badge.alignment.framework': 'Quadro',
  'badge.alignment.code': 'Codice',
  'badge.alignment.name': 'Descrittore',
  'badge.criteria': 'Criteri per ottenerlo',
  'badge.evidence': 'Evidenze',
  'badge.evidence.none': 'Nessuna evidenza allegata.',
  'badge.evidence.genre': 'Tipo: {genre}',
  'badge.endorsements': 'Riconoscimenti (endorsement)',
  'badge.endorsements.inBadge': 'Nel badge (mostrati come scritti; le loro firme non sono verificate qui)',
  'badge.endorsements.network': 'L’emittente, riconosciuto da membri della rete (dal registro)',
  'badge.endorsements.none': 'Nessuno.',
  'badge.endorsement.by': 'da {name}',
  'badge.endorsement.member': 'Membro n. {id} ({did}), dal {since}',
  'badge.endorsement.claim': 'Dichiarazione: {uri}',
  'badge.noDocument': 'La credenziale non è leggibile, quindi non c’è nulla da mostrare del badge.',
  'steps.heading': 'Passi della verifica',
  'steps.intro': 'Ogni controllo, in ordine. Un controllo che non è stato possibile eseguire è indicato come non eseguito, con il motivo.',
  'steps.detail': 'Messaggio del servizio',
  'status.passed': 'Superato',
  'status.failed': 'Non superato',
  'status.skipped': 'Non eseguito',
  'step.format': 'Formato e standard',
  'step.signature': 'Firma dell’emittente',
  'step.issuer-key': 'Chiave dell’emittente nel registro',
  'step.issuer-member': 'L’emittente è membro della rete',
  'step.anchor': 'Registrato sulla blockchain',
  'step.revocation': 'Non revocato',
  'step.validity': 'Date di validità',
  'step.badge-class': 'Classe di badge della rete e livello',
  'explain.format.passed': 'Il file è un Open Badge ben formato e rispetta le regole del suo standard.',
  'explain.format.failed': 'Il file non si legge come Open Badge, oppure non rispetta le regole del suo standard.',
  'explain.format.skipped': 'Il formato non è stato controllato.',
  'explain.signature.passed': 'La firma digitale dell’emittente corrisponde al contenuto: nulla è stato modificato dopo la firma.',
  'explain.signature.failed': 'La firma non corrisponde al contenuto: il badge è stato modificato dopo la firma, oppure l’ha firmato qualcun altro.',
  'explain.signature.skipped': 'Non è stato possibile controllare la firma, perché il file non si legge.',
  'explain.issuer-key.passed': 'La chiave di firma è registrata all’organizzazione emittente nel registro della rete ed era valida quando il badge è stato notarizzato.',
  'explain.issuer-key.failed': 'La chiave di firma non è registrata all’organizzazione emittente, oppure non era valida quando il badge è stato notarizzato.',
  'explain.issuer-key.skipped': 'Non è stato possibile controllare la validità della chiave al momento della notarizzazione: manca una registrazione sulla blockchain con cui confrontarla.',
  'explain.issuer-member.passed': 'L’emittente era un membro attivo della rete, abilitato a rilasciare badge, quando il badge è stato notarizzato.',
  'explain.issuer-member.failed': 'L’emittente non è membro della rete, non è abilitato a rilasciare badge, oppure non era attivo in quel momento.',
  'explain.issuer-member.skipped': 'Non è stato possibile controllare l’appartenenza dell’emittente alla rete al momento della notarizzazione.',
  'explain.anchor.passed': 'L’impronta del badge porta a una registrazione sulla blockchain: il badge esisteva, esattamente così, in quel momento.',
  'explain.anchor.failed': 'L’impronta del badge non si ricollega a una registrazione sulla blockchain: la ricevuta manca, è danneggiata o è di un altro badge.',
  'explain.anchor.skipped': 'La registrazione sulla blockchain non è stata controllata.',
  'explain.revocation.passed': 'L’emittente non ha revocato questo badge.',
  'explain.revocation.failed': 'L’emittente ha revocato questo badge.',
  'explain.revocation.skipped': 'Non è stato possibile controllare se il badge è stato revocato.',
  'explain.validity.passed': 'Oggi il badge è nel suo periodo di validità.',
  'explain.validity.failed': 'Il badge è scaduto, oppure non è ancora valido.',
  'explain.validity.skipped': 'Le date di validità non sono state controllate.',
  'explain.badge-class.passed': 'Il badge segue una classe di badge pubblicata dalla rete: il suo livello è quello che la classe assegna al punteggio, e lo hanno firmato le organizzazioni che la classe richiede.',
  'explain.badge-class.failed': 'Il badge cita una classe di badge mai pubblicata dalla rete o non più riconosciuta, dichiara un livello che il punteggio non dà, oppure manca di una firma che la classe richiede.',
  'explain.badge-class.skipped': 'Non è stato possibile leggere la classe di badge, quindi il livello non è stato controllato.',
  'tech.heading': 'Dettagli tecnici',
  'tech.format': 'Formato della credenziale',
  'tech.digest': 'Impronta della credenziale (digest)',
  'tech.key': 'Chiave di firma (hash)',
  'tech.method': 'Metodo di verifica',
  'tech.receiptSource': 'Ricevuta',
  'tech.receiptSource.request': 'fornita con la credenziale',
  'tech.receiptSource.credential': 'contenuta nella credenziale',
  'tech.receiptSource.store': 'trovata in questo servizio',
  'tech.receiptSource.none': 'nessuna',
  'tech.receiptSource.image': 'incorporata nell’immagine, accanto alla credenziale',
  'tech.root': 'Radice di Merkle',
  'tech.chain': 'Catena',
  'tech.registry': 'Registro',
  'tech.transaction': 'Transazione',
  'tech.block': 'Blocco',
  'tech.anchoredAt': 'Ancorato il',
  'tech.confirmations': 'Conferme',
  'tech.revokedAt': 'Revocato il',
  'tech.revocationReason': 'Motivo della revoca',
  'role.issuing-point': 'punto di validazione e rilascio',
  'role.validation-point': 'punto di validazione',
  'role.information-point': 'punto informativo',
  'memberStatus.active': 'attivo',
  'memberStatus.pending': 'in attesa',
  'memberStatus.suspended': 'sospeso',
  'memberStatus.removed': 'rimosso',
  'levelName.Copper': 'Rame',
  'levelName.Silver': 'Argento',
  'levelName.Gold': 'Oro',
  'levelName.Platinum': 'Platino',
  'footer.text': 'La verifica avviene su questo servizio, confrontando il badge con il registro della rete sulla blockchain. Nulla di ciò che verifichi qui viene conservato.',
  'footer.api': 'API',
};

export const MESSAGES = { en, it };

/**
 * Adds another page's words (the governance console's) to the dictionaries, so that it shares the language choice,
 * setLanguage and t with this page. The other page's text wins for a key both have (its own title).
 */
export function addMessages(messages) {
  for (const lang of LANGUAGES) MESSAGES[lang] = { ...MESSAGES[lang], ...messages[lang] };
}

let current = 'en';

/** The language in use: 'it' or 'en'. */
export function language() {
  return current;
}

/** The remembered choice, else the browser's first Italian or English, else English. */
export function initialLanguage() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage may be disabled: fall back to the browser's languages
  }
  if (LANGUAGES.includes(stored)) return stored;
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

/** Switches the language: <html lang>, the static labels, and the choice remembered. */
export function setLanguage(lang, { remember = false } = {}) {
  current = LANGUAGES.includes(lang) ? lang : 'en';
  document.documentElement.lang = current;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, current);
    } catch {
      // not remembered: storage is disabled
    }
  }
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll('[data-i18n-placeholder]')) element.placeholder = t(element.dataset.i18nPlaceholder);
  for (const element of document.querySelectorAll('[data-i18n-label]')) element.setAttribute('aria-label', t(element.dataset.i18nLabel));
  document.title = t('page.title');
}

/** The text of `key` in the current language, with {name} placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Whether a key exists (for optional labels such as a role or level name). */
export function has(key) {
  return key in MESSAGES[current];
}

const LOCALES = { it: 'it-IT', en: 'en-GB' };

/** A date (no time) in the current language: "12 November 2026", "12 novembre 2026". */
export function formatDate(value) {
  const date = toDate(value);
  if (!date) return String(value);
  // A date written without a time is a calendar date: shown as written, not shifted by the time zone.
  const dateOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'long', ...(dateOnly ? { timeZone: 'UTC' } : {}) }).format(date);
}

/** A moment in the current language, with the time and its zone. */
export function formatTime(value) {
  const date = toDate(value);
  if (!date) return String(value);
  return new Intl.DateTimeFormat(LOCALES[current], {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(date);
}

/** A whole number in the current language. */
export function formatNumber(value) {
  return new Intl.NumberFormat(LOCALES[current]).format(value);
}

/** An amount in the current language, to `digits` significant digits (a fee in ETH: 0.000298, not 0.000297983919168558). */
export function formatAmount(value, digits = 3) {
  return new Intl.NumberFormat(LOCALES[current], { maximumSignificantDigits: digits }).format(value);
}

function toDate(value) {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
