// placeholder; replaced below
import CNcursesw
import CTermShims
