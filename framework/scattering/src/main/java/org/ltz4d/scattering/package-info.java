/** Electron scattering factors (Lobato &amp; Van Dyck 2014, Kirkland 2010): one embedded copy for every analysis. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.ltz4d.scattering;
