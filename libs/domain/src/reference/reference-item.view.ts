/** One entry of a reference list: a district, an industry section, an occupation category. */
export class ReferenceItemView {
  code: string;
  /** The Chinese name, as the UI shows it. */
  name: string;
}
