"""A small graph for the tests of the visuals: a network with two forums and three working groups (one
in both forums), four member cities — coordinates stated the schema.org way, the WGS84 way, not at
all, and one whose label tries to break out of the markup — memberships dated to the day, month and
year, a president's and a vice-president's terms, and figures that sources report."""

from __future__ import annotations

import pyoxigraph as ox

from eurocities_kg.store import EmbeddedStore

BASE = "https://w3id.org/eurocities-kg/"
NETWORK = BASE + "id/network/net"
EVIL = 'Evil <script>alert("x")</script> & Co'

TRIG = """
@prefix ec: <https://w3id.org/eurocities-kg/def#> .
@prefix id: <https://w3id.org/eurocities-kg/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .

<https://w3id.org/eurocities-kg/graph/main> {
  <https://w3id.org/eurocities-kg/graph/main> prov:wasDerivedFrom <https://w3id.org/eurocities-kg/id/source/main> .
  <https://w3id.org/eurocities-kg/id/source/main> rdfs:label "Main source"@en , "Hauptquelle"@de .

  <https://w3id.org/eurocities-kg/id/network/net> rdfs:label "The Net"@en , "Das Netz"@de ;
      org:hasUnit <https://w3id.org/eurocities-kg/id/forum/culture> , <https://w3id.org/eurocities-kg/id/forum/mobility> .
  <https://w3id.org/eurocities-kg/id/forum/culture> a ec:Forum ; rdfs:label "Culture Forum"@en , "Forum Kultur"@de ;
      org:hasUnit <https://w3id.org/eurocities-kg/id/working-group/art> , <https://w3id.org/eurocities-kg/id/working-group/creative> .
  <https://w3id.org/eurocities-kg/id/forum/mobility> a ec:Forum ; rdfs:label "Mobility Forum"@en , "Forum Mobilität"@de .
  <https://w3id.org/eurocities-kg/id/working-group/art> a ec:WorkingGroup ; rdfs:label "Art in public spaces"@en ;
      dcterms:temporal <https://w3id.org/eurocities-kg/id/working-group/art#period> .
  <https://w3id.org/eurocities-kg/id/working-group/art#period> time:hasBeginning <https://w3id.org/eurocities-kg/id/working-group/art#start> ;
      time:hasEnd <https://w3id.org/eurocities-kg/id/working-group/art#start> .
  <https://w3id.org/eurocities-kg/id/working-group/art#start> time:inXSDgYear "2020"^^xsd:gYear ;
      rdfs:label "about 2020"@en , "etwa 2020"@de .
  <https://w3id.org/eurocities-kg/id/working-group/creative> a ec:WorkingGroup ; rdfs:label "Creative industries"@en ;
      org:unitOf <https://w3id.org/eurocities-kg/id/forum/mobility> .
  <https://w3id.org/eurocities-kg/id/working-group/safety> a ec:WorkingGroup ; rdfs:label "Safe travel"@en ;
      org:unitOf <https://w3id.org/eurocities-kg/id/forum/mobility> .

  <https://w3id.org/eurocities-kg/id/city/alpha> a schema:City ; rdfs:label "Alpha"@en , "Alfa"@de ;
      schema:containedInPlace <https://w3id.org/eurocities-kg/id/country/de> ;
      schema:geo [ schema:latitude "51.48"^^xsd:decimal ; schema:longitude "7.22"^^xsd:decimal ] .
  <https://w3id.org/eurocities-kg/id/city/beta> a schema:City ; rdfs:label "Beta"@en ;
      schema:containedInPlace <https://w3id.org/eurocities-kg/id/country/de> ;
      geo:lat "43.77"^^xsd:decimal ; geo:long "11.25"^^xsd:decimal .
  <https://w3id.org/eurocities-kg/id/city/gamma> a schema:City ; rdfs:label "Gamma"@en .
  <https://w3id.org/eurocities-kg/id/city/evil> a schema:City ; rdfs:label "Evil <script>alert(\\"x\\")</script> & Co"@en ;
      geo:lat "52.5"^^xsd:decimal ; geo:long "13.4"^^xsd:decimal .
  <https://w3id.org/eurocities-kg/id/country/de> a schema:Country ; rdfs:label "Germany"@en , "Deutschland"@de .
  <https://w3id.org/eurocities-kg/id/country-group/de> ec:country <https://w3id.org/eurocities-kg/id/country/de> ;
      ec:groupOf <https://w3id.org/eurocities-kg/id/network/net> .

  <https://w3id.org/eurocities-kg/id/membership/alpha> a org:Membership ; org:organization <https://w3id.org/eurocities-kg/id/network/net> ;
      org:member <https://w3id.org/eurocities-kg/id/city/alpha> ; org:memberDuring <https://w3id.org/eurocities-kg/id/membership/alpha#period> .
  <https://w3id.org/eurocities-kg/id/membership/alpha#period> time:hasBeginning <https://w3id.org/eurocities-kg/id/membership/alpha#start> .
  <https://w3id.org/eurocities-kg/id/membership/alpha#start> time:inXSDgYearMonth "2021-03"^^xsd:gYearMonth .
  <https://w3id.org/eurocities-kg/id/membership/beta> a org:Membership ; org:organization <https://w3id.org/eurocities-kg/id/network/net> ;
      org:member <https://w3id.org/eurocities-kg/id/city/beta> ; org:memberDuring <https://w3id.org/eurocities-kg/id/membership/beta#period> .
  <https://w3id.org/eurocities-kg/id/membership/beta#period> time:hasBeginning <https://w3id.org/eurocities-kg/id/membership/beta#start> .
  <https://w3id.org/eurocities-kg/id/membership/beta#start> time:inXSDgYear "1986"^^xsd:gYear ; ec:derivation ec:inferred .
  <https://w3id.org/eurocities-kg/id/membership/gamma> a org:Membership ; org:organization <https://w3id.org/eurocities-kg/id/network/net> ;
      org:member <https://w3id.org/eurocities-kg/id/city/gamma> .
  <https://w3id.org/eurocities-kg/id/membership/evil> a org:Membership ; org:organization <https://w3id.org/eurocities-kg/id/network/net> ;
      org:member <https://w3id.org/eurocities-kg/id/city/evil> ; org:memberDuring <https://w3id.org/eurocities-kg/id/membership/evil#period> .
  <https://w3id.org/eurocities-kg/id/membership/evil#period> time:hasBeginning <https://w3id.org/eurocities-kg/id/membership/evil#start> .
  <https://w3id.org/eurocities-kg/id/membership/evil#start> time:inXSDDate "2013-10-01"^^xsd:date .

  ec:president rdfs:label "president"@en , "Präsident/-in"@de .
  ec:vicePresident rdfs:label "vice-president"@en , "Vizepräsident/-in"@de .
  <https://w3id.org/eurocities-kg/id/person/ann> rdfs:label "Ann"@en .
  <https://w3id.org/eurocities-kg/id/person/bob> rdfs:label "Bob"@en .
  <https://w3id.org/eurocities-kg/id/office/ann> a org:Membership ; org:organization <https://w3id.org/eurocities-kg/id/network/net> ;
      org:member <https://w3id.org/eurocities-kg/id/person/ann> ; org:role ec:president ;
      org:memberDuring <https://w3id.org/eurocities-kg/id/office/ann#period> .
  <https://w3id.org/eurocities-kg/id/office/ann#period> time:hasBeginning <https://w3id.org/eurocities-kg/id/office/ann#start> ;
      time:hasEnd <https://w3id.org/eurocities-kg/id/office/ann#end> .
  <https://w3id.org/eurocities-kg/id/office/ann#start> time:inXSDDate "2020-11-05"^^xsd:date .
  <https://w3id.org/eurocities-kg/id/office/ann#end> time:inXSDgYearMonth "2023-06"^^xsd:gYearMonth ; ec:derivation ec:inferred .
  <https://w3id.org/eurocities-kg/id/office/bob> a org:Membership ; org:organization <https://w3id.org/eurocities-kg/id/network/net> ;
      org:member <https://w3id.org/eurocities-kg/id/person/bob> ; org:role ec:vicePresident ;
      org:memberDuring <https://w3id.org/eurocities-kg/id/office/bob#period> .
  <https://w3id.org/eurocities-kg/id/office/bob#period> time:hasEnd <https://w3id.org/eurocities-kg/id/office/bob#end> .
  <https://w3id.org/eurocities-kg/id/office/bob#end> time:inXSDDate "2020-11-05"^^xsd:date .

  <https://w3id.org/eurocities-kg/id/figure/main-in-country> a ec:ReportedFigure ; ec:measure ec:memberCitiesInCountry ;
      ec:about <https://w3id.org/eurocities-kg/id/country-group/de> ; schema:value 20 ; dcterms:date "2019"^^xsd:gYear .
  <https://w3id.org/eurocities-kg/id/figure/main-countries> a ec:ReportedFigure ; ec:measure ec:countries ;
      ec:about <https://w3id.org/eurocities-kg/id/network/net> ; schema:value 38 .
}
"""


def store() -> EmbeddedStore:
    """The fixture as a store (the default graph the union, as in a build)."""
    return EmbeddedStore.in_memory(ox.parse(TRIG.encode(), format=ox.RdfFormat.TRIG))
