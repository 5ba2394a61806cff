# cython: language_level=3
"""PDFium's calls made by the hundred (one for each object, segment and character of a page), made in C loops.

Through ctypes a call costs more than the work PDFium does in it; here each batch is one call from Python. Every
function takes the address of the PDFium function (``ctypes.cast(raw.NAME, c_void_p).value``), the handles as
Python ints and, where PDFium writes numbers, the address of a float buffer. ``govlib.pdf`` makes the same calls
through ctypes where this module is not built (``GOVLIB_PURE=1``, no C compiler): the output is the same.
"""

from libc.stdint cimport uintptr_t

ctypedef void* (*_ptr_of_ptr_int)(void*, int) noexcept nogil
ctypedef int (*_int_of_ptr)(void*) noexcept nogil
ctypedef void* (*_ptr_of_ptr)(void*) noexcept nogil
ctypedef int (*_int_of_ptr_floats)(void*, float*) noexcept nogil
ctypedef int (*_int_of_ptr_int_floats)(void*, int, float*) noexcept nogil
ctypedef int (*_int_of_ptr_float_float)(void*, float*, float*) noexcept nogil


def pointers_at(uintptr_t fn, uintptr_t handle, indices) -> list:
    """``fn(handle, i)`` for each i of ``indices``, a pointer (0 for none): FPDFPage_GetObject,
    FPDFText_GetTextObject."""
    cdef _ptr_of_ptr_int f = <_ptr_of_ptr_int>fn
    cdef void* h = <void*>handle
    cdef int i
    out = []
    for i in indices:
        out.append(<uintptr_t>f(h, i))
    return out


def pointers_of_each(uintptr_t fn, handles, indices) -> list:
    """``fn(handle, i)`` for each pair: FPDFPath_GetPathSegment."""
    cdef _ptr_of_ptr_int f = <_ptr_of_ptr_int>fn
    cdef uintptr_t h
    cdef int i
    out = []
    for h, i in zip(handles, indices):
        out.append(<uintptr_t>f(<void*>h, i))
    return out


def ints_of(uintptr_t fn, handles) -> list:
    """``fn(handle)`` for each handle, an int: FPDFPageObj_GetType, FPDFPath_CountSegments, FPDFPathSegment_GetType,
    FPDFPathSegment_GetClose."""
    cdef _int_of_ptr f = <_int_of_ptr>fn
    cdef uintptr_t h
    out = []
    for h in handles:
        out.append(f(<void*>h))
    return out


def pointers_of(uintptr_t fn, handles) -> list:
    """``fn(handle)`` for each handle, a pointer: FPDFTextObj_GetFont."""
    cdef _ptr_of_ptr f = <_ptr_of_ptr>fn
    cdef uintptr_t h
    out = []
    for h in handles:
        out.append(<uintptr_t>f(<void*>h))
    return out


def floats_of(uintptr_t fn, handles, uintptr_t buffer, int stride) -> None:
    """``fn(handle, buffer + stride * j)`` for the j-th handle: FPDFPageObj_GetMatrix (6 floats),
    FPDFTextObj_GetFontSize (1)."""
    cdef _int_of_ptr_floats f = <_int_of_ptr_floats>fn
    cdef float* out = <float*>buffer
    cdef uintptr_t h
    cdef Py_ssize_t j = 0
    for h in handles:
        f(<void*>h, out + stride * j)
        j += 1


def floats_at(uintptr_t fn, uintptr_t handle, indices, uintptr_t buffer, int stride) -> None:
    """``fn(handle, i, buffer + stride * i)`` for each i of ``indices``: FPDFText_GetLooseCharBox (4 floats)."""
    cdef _int_of_ptr_int_floats f = <_int_of_ptr_int_floats>fn
    cdef float* out = <float*>buffer
    cdef void* h = <void*>handle
    cdef int i
    for i in indices:
        f(h, i, out + stride * i)


def points_of(uintptr_t fn, handles, uintptr_t buffer) -> None:
    """``fn(handle, buffer + 2j, buffer + 2j + 1)`` for the j-th handle: FPDFPathSegment_GetPoint."""
    cdef _int_of_ptr_float_float f = <_int_of_ptr_float_float>fn
    cdef float* out = <float*>buffer
    cdef uintptr_t h
    cdef Py_ssize_t j = 0
    for h in handles:
        f(<void*>h, out + 2 * j, out + 2 * j + 1)
        j += 1
