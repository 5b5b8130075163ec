/**
 * The domain's pure rules, importable without Nest or a database: the web app imports this file
 * (as `@keydesk/rules`) so that the browser checks a credit code or offers a problem's actions by
 * the same rule the API enforces, from one source.
 */
export { creditCodeCheckCharacter, isValidCreditCode } from './credit-code';
export { isMainlandPhone } from './contact-phone';
export {
  COMMISSIONER_EDITABLE_FIELDS,
  ENTERPRISE_EDITABLE_FIELDS,
  fieldsRoleMayNotEdit,
  type EnterpriseEditableField,
} from './enterprise-rules';
export {
  PROBLEM_ACTIONS,
  PROBLEM_TRANSITIONS,
  allowedProblemActions,
  dueAtFor,
  mayEditProblem,
  type ProblemAction,
} from './problem-rules';
