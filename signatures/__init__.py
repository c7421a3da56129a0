"""PAdES signatures of PDF documents: signing with the office's certificate (PKCS#12 file
or PKCS#11 token, configured by environment) and validating any PDF's signatures.

The bottom layer: it reads settings and imports no project app, so documents, records
and conclusions can all call it.
"""
