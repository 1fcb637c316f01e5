/**
 * A badge class's level scheme read against a score and a claimed level. Plain JavaScript with no imports, so that
 * the service (levels.ts, which raises ClassMismatchError from the answers) and the web console (which checks each
 * spreadsheet row in the browser) apply the same rule from this one file. The functions never throw: they answer
 * `{ level }` or `{ field, reason }`, and each side words the refusal its own way.
 */

/** The level the class's bands give `score`: `{ level }` (undefined below the first band: no badge) or `{ field, reason }`. */
export function judgeScore(badgeClass, score) {
  const scale = badgeClass.score;
  if (!scale) return { field: 'score', reason: 'the class has no score: its level is awarded without one' };
  if (!Number.isInteger(score) || score < scale.min || score > scale.max) {
    return { field: 'score', reason: `${String(score)} must be an integer from ${scale.min} to ${scale.max}` };
  }
  const band = scale.bands.find((candidate) => score >= candidate.from && score <= candidate.to);
  return { level: band && badgeClass.levels.find((level) => level.name === band.level) };
}

/** A claimed level (and score, when given) against the class: `{ level }` or `{ field, reason }`. */
export function judgeLevel(badgeClass, claimed) {
  const level = badgeClass.levels.find((candidate) => candidate.name === claimed.level);
  if (!level) {
    return { field: 'level', reason: `"${claimed.level}" is not a level of the class (${badgeClass.levels.map((one) => one.name).join(', ')})` };
  }
  if (claimed.score === undefined) return { level };
  const scored = judgeScore(badgeClass, claimed.score);
  if (scored.field) return scored;
  if (!scored.level) return { field: 'score', reason: `${claimed.score} is below the class's first band: it earns no badge` };
  if (scored.level.name !== level.name) {
    return { field: 'level', reason: `"${level.name}" does not match score ${claimed.score}, which the class's bands give "${scored.level.name}"` };
  }
  return { level };
}
