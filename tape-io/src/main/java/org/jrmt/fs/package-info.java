/**
 * File-system access by handle: directories held open and every operation made relative to one of
 * them, with names as bytes and no symbolic link followed in any component. jrestore writes its
 * target through it and jrmtd opens the files of its file directories through it, so that a link
 * planted or swapped in while they work can never lead them elsewhere.
 */
package org.jrmt.fs;
