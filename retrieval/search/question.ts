/**
 * What a person types → the question and its filters. Filters are written
 * `speaker:NAME` / `source:NAME` (also 讲话人: / 来源:), or as a speaker's
 * name and a colon before the question (`王爱武: 养老`).
 */
export interface Question {
  text: string;
  speaker?: string;
  source?: string;
}

const FILTER = /(?:^|\s)(speaker|source|讲话人|发言人|来源|出处)[::]\s*(?:"([^"]+)"|“([^”]+)”|(\S+))/gi;

export function parseQuestion(input: string, knownSpeakers: string[] = []): Question {
  const question: Question = { text: '' };
  let text = input.replace(FILTER, (_, key: string, quoted?: string, curly?: string, bare?: string) => {
    const value = (quoted ?? curly ?? bare ?? '').trim();
    if (/^(speaker|讲话人|发言人)$/i.test(key)) question.speaker = value;
    else question.source = value;
    return ' ';
  });
  const leadingName = /^\s*([\u4e00-\u9fa5]{2,4})\s*[::]\s*(.+)$/s.exec(text);
  if (!question.speaker && leadingName && knownSpeakers.includes(leadingName[1]!)) {
    question.speaker = leadingName[1]!;
    text = leadingName[2]!;
  }
  question.text = text.trim();
  return question;
}
