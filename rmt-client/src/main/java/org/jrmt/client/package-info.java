/** The rmt client: RemoteTape, the jrmt-rsh bridge and jmt. */
package org.jrmt.client;
