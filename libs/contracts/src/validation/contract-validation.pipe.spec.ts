import type { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { ServiceError } from '../errors/service-error';
import { ContractValidationPipe } from './contract-validation.pipe';
import { MemoizedValidation } from './validation-memo';

@MemoizedValidation()
class ReadDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
  @IsOptional()
  @IsInt()
  limit?: number;
}

class PlainDto {
  @IsString()
  text!: string;
}

@MemoizedValidation()
class NamedDto {
  @IsString()
  name!: string;
}

class NestedDto {
  @IsArray()
  @IsString({ each: true })
  tags!: string[];

  @ValidateNested()
  @Type(() => PlainDto)
  plain!: PlainDto;
}

const ID = '0b7c4f3e-9a55-4f7e-8a0e-2f1d1f0c9b11';
const as = (metatype: unknown, type: ArgumentMetadata['type'] = 'param') =>
  ({ type, metatype }) as ArgumentMetadata;

async function refusal(run: Promise<unknown>): Promise<unknown> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return (error as ServiceError).toReply();
}

describe('ContractValidationPipe', () => {
  it('answers a remembered payload with an instance equal to the first, and a fresh one', async () => {
    const pipe = new ContractValidationPipe();
    const validate = jest.spyOn(
      (pipe as unknown as { pipe: { transform: () => unknown } }).pipe,
      'transform',
    );
    const first = await pipe.transform({ id: ID, limit: 5 }, as(ReadDto));
    const again = await pipe.transform({ id: ID, limit: 5 }, as(ReadDto));
    expect(again).toBeInstanceOf(ReadDto);
    expect(again).toEqual(first);
    expect(Object.keys(again as object)).toEqual(Object.keys(first as object));
    expect(again).not.toBe(first);
    (again as ReadDto).limit = 6;
    expect(await pipe.transform({ id: ID, limit: 5 }, as(ReadDto))).toEqual(first);
    expect(validate).toHaveBeenCalledTimes(1);
  });

  it("remembers route parameters, whose prototype is an empty null-prototype object (Fastify's)", async () => {
    const pipe = new ContractValidationPipe();
    const validate = jest.spyOn(
      (pipe as unknown as { pipe: { transform: () => unknown } }).pipe,
      'transform',
    );
    function NullObject() {}
    NullObject.prototype = Object.create(null) as object;
    const params = () =>
      Object.assign(new (NullObject as unknown as new () => object)(), { id: ID });
    const first = await pipe.transform(params(), as(ReadDto));
    expect(await pipe.transform(params(), as(ReadDto))).toEqual(first);
    expect(validate).toHaveBeenCalledTimes(1);
    // A prototype with properties of its own is not a plain record: validated every time.
    const inherited = Object.assign(Object.create({ limit: 5 }) as object, { id: ID });
    await pipe.transform(inherited, as(ReadDto));
    await pipe.transform(inherited, as(ReadDto));
    expect(validate).toHaveBeenCalledTimes(3);
  });

  it('refuses a bad payload the same way every time, and never remembers it', async () => {
    const pipe = new ContractValidationPipe();
    const expected = await refusal(
      new ContractValidationPipe().transform({ id: 'x' }, as(ReadDto)),
    );
    expect(expected).toMatchObject({
      status: 400,
      errors: [{ field: 'id', messages: ['id must be a UUID'] }],
    });
    for (let i = 0; i < 3; i++) {
      expect(await refusal(pipe.transform({ id: 'x' }, as(ReadDto)))).toEqual(expected);
    }
    // Unknown properties are refused after a good payload of the same DTO, too.
    await pipe.transform({ id: ID }, as(ReadDto));
    expect(await refusal(pipe.transform({ id: ID, extra: 1 }, as(ReadDto)))).toMatchObject({
      errors: [{ field: 'extra', messages: ['property extra should not exist'] }],
    });
  });

  it('tells apart payloads that differ only in type', async () => {
    const pipe = new ContractValidationPipe();
    await pipe.transform({ id: ID, limit: 5 }, as(ReadDto));
    expect(await refusal(pipe.transform({ id: ID, limit: '5' }, as(ReadDto)))).toMatchObject({
      errors: [{ field: 'limit', messages: ['limit must be an integer number'] }],
    });
  });

  it('validates DTOs not marked, and nested payloads, every time', async () => {
    const pipe = new ContractValidationPipe();
    const memo = (pipe as unknown as { memo: { remember: jest.Mock } }).memo;
    const remember = jest.spyOn(memo, 'remember');
    await pipe.transform({ text: 'a' }, as(PlainDto, 'body'));
    await expect(
      refusal(pipe.transform({ id: ID, limit: { nested: 1 } }, as(ReadDto))),
    ).resolves.toBeDefined();
    expect(remember).not.toHaveBeenCalled();
  });

  it.each([
    ['a NUL character', 'a\u0000b'],
    ['an unpaired high surrogate', '\uD800x'],
    ['an unpaired low surrogate', 'x\uDC00'],
  ])(
    'refuses a string with %s in any DTO, naming the field and not its value',
    async (_case, text) => {
      const pipe = new ContractValidationPipe();
      for (const metadata of [as(PlainDto, 'body'), as(PlainDto, 'query'), as(NamedDto, 'body')]) {
        const payload = metadata.metatype === NamedDto ? { name: text } : { text };
        const reply = await refusal(pipe.transform(payload, metadata));
        const field = Object.keys(payload)[0];
        expect(reply).toMatchObject({
          status: 400,
          code: 'VALIDATION_FAILED',
          errors: [
            {
              field,
              messages: [`${field} must not contain a NUL character or an unpaired surrogate`],
            },
          ],
        });
        expect(JSON.stringify(reply)).not.toContain(JSON.stringify(text).slice(1, -1));
      }
    },
  );

  it('refuses such a string in an array or a nested DTO by its dotted path', async () => {
    const reply = await refusal(
      new ContractValidationPipe().transform(
        { tags: ['ok', '\u0000'], plain: { text: '\uDFFF' } },
        as(NestedDto, 'body'),
      ),
    );
    expect(reply).toMatchObject({
      errors: [
        { field: 'tags.1', messages: [expect.any(String)] },
        { field: 'plain.text', messages: [expect.any(String)] },
      ],
    });
  });

  it('never remembers such a payload of a memoized DTO', async () => {
    const pipe = new ContractValidationPipe();
    for (let i = 0; i < 2; i++) {
      await expect(
        refusal(pipe.transform({ name: '\u0000' }, as(NamedDto))),
      ).resolves.toBeDefined();
    }
    expect(await pipe.transform({ name: 'Ada' }, as(NamedDto))).toEqual({ name: 'Ada' });
  });

  it('leaves what a custom decorator gives, and storable text, as it is', async () => {
    const pipe = new ContractValidationPipe();
    const principal = new PlainDto();
    principal.text = '\u0000';
    expect(await pipe.transform(principal, as(undefined, 'custom'))).toBe(principal);
    expect(await pipe.transform({ text: 'a😀b' }, as(PlainDto, 'body'))).toEqual({ text: 'a😀b' });
  });
});
