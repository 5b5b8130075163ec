import { isMainlandPhone } from './contact-phone';

describe('contact phone', () => {
  it.each(['13912345678', '19912345678', '0431-88886666', '043188886666', '010-62345678', '0431-8888666-123'])(
    'accepts %s',
    (phone) => expect(isMainlandPhone(phone)).toBe(true),
  );

  it.each(['12912345678', '1391234567', '139123456789', '88886666', '0431-0888666', '+8613912345678', 'phone', ''])(
    'refuses %s',
    (phone) => expect(isMainlandPhone(phone)).toBe(false),
  );
});
