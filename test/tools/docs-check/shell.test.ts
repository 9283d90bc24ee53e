import { invocations, logicalLines, optionValue, splitWords, stripComment } from '../../../tools/docs-check/shell';

const parse = (...lines: string[]) => invocations(logicalLines(lines, 10));

describe('finding commands in a shell block', () => {
  test('joins continuation lines and keeps the first line number', () => {
    const [inv] = parse('aws cloudwatch describe-alarms \\', '  --region us-east-1 \\', '  --profile dr-operator');
    expect(inv).toMatchObject({ tool: 'aws', command: 'cloudwatch', operation: 'describe-alarms', line: 10 });
    expect(optionValue(inv.args, '--region')).toBe('us-east-1');
    expect(optionValue(inv.args, '--profile')).toBe('dr-operator');
  });

  test('finds the command inside a $( ) substitution as well as the one around it', () => {
    const found = parse(
      `npx drctl restore --region us-east-1 --bucket "$(aws cloudformation describe-stacks --region us-east-1 --stack-name portfolio-data-primary --query "Stacks[0].Outputs[?OutputKey=='SiteBucketName'].OutputValue" --output text)" --to 2026-11-28T10:00:00Z`,
    );
    expect(found.map((i) => `${i.tool} ${i.command}`)).toEqual(['drctl restore', 'aws cloudformation']);
    const [drctl, aws] = found;
    expect(optionValue(drctl.args, '--bucket')).toMatch(/^\$\(aws cloudformation/);
    expect(optionValue(drctl.args, '--to')).toBe('2026-11-28T10:00:00Z');
    expect(optionValue(aws.args, '--stack-name')).toBe('portfolio-data-primary');
    expect(aws.text).toMatch(/--output text$/);
    expect(aws.text).toContain("OutputKey=='SiteBucketName'");
  });

  test('a pipe, ; or && ends a command', () => {
    const found = parse(
      'aws s3api list-buckets --region us-east-1 | jq . && npx cdk deploy portfolio-data-standby; drctl status',
    );
    expect(found.map((i) => `${i.tool} ${i.command} [${i.args.length}]`)).toEqual([
      'aws s3api [4]',
      'cdk deploy [2]',
      'drctl status [1]',
    ]);
  });

  test('ignores comments, but not # inside quotes', () => {
    expect(stripComment('aws s3 ls  # list')).toBe('aws s3 ls');
    expect(stripComment('echo "a # b"')).toBe('echo "a # b"');
    expect(parse('# aws s3 ls without region, in a comment')).toEqual([]);
  });

  test('words: quotes removed, --flag=value read, $( ) kept whole', () => {
    expect(splitWords(`a 'b c' "d" --x=1 $(e f)`)).toEqual(['a', 'b c', 'd', '--x=1', '$(e f)']);
    expect(optionValue(['--x=1'], '--x')).toBe('1');
    expect(optionValue(['--y', '2'], '--x')).toBeUndefined();
  });

  test('words in other tools are not commands', () => {
    expect(parse('curl -s https://www.example.com/healthz | grep -q portfolio-ok')).toEqual([]);
    expect(parse('echo awsome drctlx')).toEqual([]);
  });

  test('variables stay as written; a redirection and its target are not arguments', () => {
    const [inv] = parse('npx drctl posture --cdk-out "${OUT}" --profile "$P" > "$DIR/report.txt"');
    expect(inv.args).toEqual(['posture', '--cdk-out', '$OUT', '--profile', '$P']);
  });

  test('a nested substitution inside a quoted one is found, with its quotes kept in the words', () => {
    const found = parse(
      `echo "$(aws s3api list-objects-v2 --region us-east-1 --profile p --bucket "$(drctl status --config "c d.json")")"`,
    );
    expect(found.map((i) => i.text)).toEqual([
      'aws s3api list-objects-v2 --region us-east-1 --profile p --bucket $(drctl status --config c d.json)',
      'drctl status --config c d.json',
    ]);
    expect(optionValue(found[1].args, '--config')).toBe('c d.json');
  });

  test('a comment that ends in a backslash continues nothing', () => {
    expect(logicalLines(['# see below \\', 'aws s3 ls --region us-east-1'], 1)).toEqual([
      { text: 'aws s3 ls --region us-east-1', line: 2 },
    ]);
  });
});
