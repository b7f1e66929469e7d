#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# Validates OAI-PMH answers against the vendored OAI-PMH.xsd and oai_dc.xsd
# (every record's metadata is checked strictly, as the schema's xs:any asks).
# Usage: validate.py FILE...  Prints "ok" or each file's first error; exit 1 on any.
import os
import sys

from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
# One schema importing both namespaces, resolved against the vendored files.
WRAPPER = f'''<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  targetNamespace="urn:learncity:oai-tests" elementFormDefault="qualified">
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="OAI-PMH.xsd"/>
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/" schemaLocation="oai_dc.xsd"/>
</xs:schema>'''

parser = etree.XMLParser(no_network=True, resolve_entities=False)
schema = etree.XMLSchema(etree.fromstring(WRAPPER.encode(), parser, base_url=os.path.join(HERE, 'wrapper.xsd')))
bad = 0
for path in sys.argv[1:]:
    try:
        doc = etree.parse(path, parser)
    except etree.XMLSyntaxError as e:
        print(f'{path}: not well-formed: {e}')
        bad = 1
        continue
    if not schema.validate(doc):
        print(f'{path}: {schema.error_log.last_error}')
        bad = 1
if not bad:
    print('ok')
sys.exit(bad)
