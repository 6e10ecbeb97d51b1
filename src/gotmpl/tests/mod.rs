//! Table tests whose expected values were produced by Go 1.19 text/template with sprig 3.2.3
//! (see the module docs of each file for the categories).
