"""The pack's documentation: policies/README.md's generated policy table and coverage section, and the data
(anchor rule sets and what covers them) they are generated from. Not part of the pack's rules."""
