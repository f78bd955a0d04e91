// The TCK ran on this project's JUnit, and Surefire reports every test under its rule ID and level.
def reports = new File(basedir, 'target/surefire-reports')
def xml = reports.listFiles().find { it.name.startsWith('TEST-') && it.name.endsWith('.xml') }
assert xml != null : "no Surefire XML report in ${reports}"
def text = xml.text
for (name in ['MD-PING-1 (MUST)', 'MD-LOGIN-1 (MUST)', 'MD-LOGIN-2 (MUST)', 'GEN-DELIVER-1 (MUST)', 'GEN-LEAVE-2 (MUST)', 'CLIENT-1 (MUST)']) {
  // Phrased names: "<dialect> rules: <ID> (<LEVEL>)".
  assert text.contains(" rules: ${name}\"") : "no test case named after ${name} in ${xml}:\n${text}"
}
assert !(text =~ /name="rules\(\)\[/) : "index names instead of rule IDs:\n${text}"
def head = (text =~ /<testsuite [^>]*>/)[0]
def attr = { String name -> ((head =~ /\b${name}="(\d+)"/)[0][1]) as int }
assert attr('tests') == 7 : head
assert attr('failures') == 0 && attr('errors') == 0 : text
assert attr('skipped') == 1 : "CLIENT-1 (a client rule) should be the one skipped test: ${text}"
return true
